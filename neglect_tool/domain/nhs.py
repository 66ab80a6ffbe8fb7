"""NHS numbers: ten digits, the last a modulus-11 check digit."""

from __future__ import annotations

from .errors import DomainError


def normalise_nhs_number(raw: str) -> str:
    """Strip the spaces and hyphens people type ("943 476 5919") and return the ten digits."""
    return "".join(ch for ch in raw if ch not in " -")


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when the remainder makes the number invalid."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def validate_nhs_number(raw: str) -> str:
    """Return the normalised number, or raise DomainError saying what is wrong."""
    digits = normalise_nhs_number(raw)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise DomainError("An NHS number has exactly 10 digits.", field="nhs_number")
    expected = nhs_check_digit(digits[:9])
    if expected is None or expected != int(digits[9]):
        raise DomainError(
            "This NHS number fails its check digit; please check it was typed correctly.", field="nhs_number"
        )
    return digits


def format_nhs_number(digits: str) -> str:
    """The usual 3-3-4 display form."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
