"""Typed errors of the domain: each carries a message fit to show a user as it is."""

from __future__ import annotations


class DomainError(ValueError):
    """A value breaks a rule of the domain (a date out of range, a bad NHS number...)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # which input field is wrong, so a form can show the error inline


class SheetLocked(DomainError):
    """A submitted rating sheet cannot change; amend it as a new version instead."""
