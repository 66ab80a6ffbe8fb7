"""Turning any error into a message fit to show a user, without leaking personal data or tracebacks."""

from __future__ import annotations

import logging

from ..domain import DomainError
from ..storage.errors import StoreError

log = logging.getLogger("neglect_tool")


def user_message(exc: BaseException) -> str:
    """Our own typed errors carry user-ready messages; anything else gets a generic one (and is logged
    by type only: exception text can hold data from the store)."""
    if isinstance(exc, StoreError | DomainError):
        return str(exc)
    try:
        from ..forms.loader import FormError
    except ImportError:  # pragma: no cover - the loader always ships
        FormError = ()  # type: ignore[assignment,misc]
    if isinstance(exc, FormError):
        return str(exc)
    log.error("unexpected error: %s", type(exc).__name__)
    return f"Something went wrong ({type(exc).__name__}). Nothing was changed; please try again."
