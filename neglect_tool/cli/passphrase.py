"""Where the CLI gets secrets from: an environment variable, a file, or an interactive prompt.

Never from a command-line argument: arguments are visible to every user in the process list and end up
in shell history.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from .errors import CliError

STORE_PASSPHRASE_ENV = "NEGLECT_TOOL_PASSPHRASE"
MAX_SECRET_FILE_BYTES = 4096


def read_secret_file(path: str) -> str:
    """The first line of a small file (a trailing newline is not part of the secret)."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_SECRET_FILE_BYTES:
            raise CliError(f"{path} is too large to be a passphrase file")
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read passphrase file {path}: {exc.__class__.__name__}") from exc
    secret = text.splitlines()[0] if text else ""
    if not secret:
        raise CliError(f"passphrase file {path} is empty")
    return secret


def get_secret(
    *, env_var: str, file_arg: str | None, prompt: str, confirm: bool = False
) -> str:
    """A file named on the command line, then the env var, then a prompt on the terminal (twice when
    `confirm`): what is asked for explicitly wins over what the environment happens to hold."""
    if file_arg:
        return read_secret_file(file_arg)
    from_env = os.environ.get(env_var)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise CliError(f"no passphrase given: set {env_var}, pass a passphrase file, or run in a terminal")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != first:
        raise CliError("the two passphrases differ")
    return first


def store_passphrase(file_arg: str | None, *, confirm: bool = False) -> str:
    return get_secret(
        env_var=STORE_PASSPHRASE_ENV, file_arg=file_arg, prompt="Store passphrase: ", confirm=confirm
    )
