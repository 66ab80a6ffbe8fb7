"""neglect_tool: an offline, encrypted multi-agency child neglect checklist."""

# The one place the version is written; pyproject.toml reads it from here (and importlib.metadata is not
# imported at start-up, which costs ~30 ms).
__version__ = "0.1.0"
