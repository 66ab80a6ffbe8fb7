"""Dates in the domain: ages in completed months, and the sane range every date must fall in."""

from __future__ import annotations

import datetime as dt

from .errors import DomainError

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_date(value: dt.date, field: str, *, not_after: dt.date | None = None) -> dt.date:
    """Reject dates outside 1900-2200 (typos such as 0202) and, optionally, dates in the future."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise DomainError(f"{field.replace('_', ' ')} must be a date", field=field)
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise DomainError(
            f"{field.replace('_', ' ')} {value.isoformat()} is out of range "
            f"({EARLIEST_DATE.year}-{LATEST_DATE.year})",
            field=field,
        )
    if not_after is not None and value > not_after:
        raise DomainError(f"{field.replace('_', ' ')} {value.isoformat()} is in the future", field=field)
    return value


def age_in_months(born: dt.date, on: dt.date) -> int:
    """Completed months of age on `on`.

    A month is completed on the same day-of-month as the birth day, or on the last day of a shorter
    month (born 31 Jan: 1 month old on 28/29 Feb), so items switch on exactly at the birthday.
    """
    if on < born:
        raise DomainError("the assessment date is before the child's date of birth", field="date")
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if on.day < born.day and not _is_last_day_of_month(on):
        months -= 1
    return months


def _is_last_day_of_month(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def describe_age(months: int) -> str:
    """'8 months', '2 years 3 months', '14 years'."""
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    years, rest = divmod(months, 12)
    return f"{years} years" if rest == 0 else f"{years} years {rest} month{'s' if rest != 1 else ''}"
