"""neglect_tool: an offline, encrypted multi-agency child neglect checklist."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("neglect-tool")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"
