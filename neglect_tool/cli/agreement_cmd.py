"""``neglect-tool agreement FILE.csv``: inter-rater agreement figures for a CSV of answers.

The CSV has one row per checklist item and one column per rater. The first row is a header of rater
names; when its first cell is empty or ``item`` the first column holds item labels. Empty cells are
missing answers. Numbers are read as numbers when every answer (and every ``--categories`` entry) is one.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import textwrap
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is loaded only when the command runs
    from neglect_tool.scoring.agreement import AgreementSummary

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_RATERS = 200
LEVELS = ("nominal", "ordinal", "interval", "ratio")
EXIT_ERROR = 2


class _InputError(Exception):
    """A problem with the user's file or options, reported as one line."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``agreement`` subcommand to ``subparsers``."""
    parser = subparsers.add_parser(
        "agreement",
        help="agreement between raters for a CSV of answers (rows items, columns raters)",
        description=(
            "Inter-rater agreement for a CSV file: one row per item, one column per rater, a header row of "
            "rater names (first header cell empty or 'item' when the first column labels the items), empty "
            "cells for missing answers. Reports percent agreement, Cohen's or Fleiss' kappa, Krippendorff's "
            "alpha and Gwet's AC1 (and AC2 for ordered levels)."
        ),
    )
    parser.add_argument("file", type=Path, metavar="FILE.csv", help="the CSV file of answers")
    parser.add_argument(
        "--level",
        choices=LEVELS,
        default="nominal",
        help="level of measurement of the answers (default: nominal)",
    )
    parser.add_argument(
        "--categories",
        default=None,
        metavar="A,B,C",
        help="the possible answers in order, comma-separated (needed for ordinal text answers)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the ``agreement`` subcommand; 0 on success, 2 (one line on stderr) on any error."""
    try:
        from neglect_tool.scoring.agreement import summarise

        cells, category_tokens = _read_csv(Path(args.file)), _split_categories(args.categories)
        ratings, categories = _to_values(cells, category_tokens)
        level = str(args.level)
        if level == "ordinal" and categories is None and _has_text(ratings):
            raise _InputError(
                f"the {level} level needs the order of the text answers: give it with --categories"
            )
        summary = summarise(ratings, categories=categories, level=level)
        if all(figure.value is None for figure in summary.figures()):
            reason = summary.percent_agreement.reason or summary.alpha.reason or "no figure is defined"
            raise _InputError(f"no agreement figure can be calculated: {reason}")
    except (_InputError, ValueError) as exc:  # UndefinedStatistic is a ValueError
        _fail(str(exc))
        return EXIT_ERROR
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2))
    else:
        print(_format_table(summary))
    return 0


def _fail(message: str) -> None:
    line = " ".join(message.split())
    print(f"neglect-tool agreement: error: {line}", file=sys.stderr)


def _read_csv(path: Path) -> list[list[str | None]]:
    """Rows of answers (None for an empty cell), without the header and the item-label column."""
    try:
        if not path.is_file():
            raise _InputError(f"no such file: {path}")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _InputError(f"{path} is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise _InputError(f"{path} is too large (the limit is {MAX_FILE_BYTES:,} bytes)")
    if b"\x00" in raw:
        raise _InputError(f"{path} is not a CSV text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _InputError(f"{path} is not UTF-8 text; save it as CSV UTF-8") from None

    header: list[str] | None = None
    labelled = False
    rows: list[list[str | None]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank line
            if header is None:
                header = [cell.strip() for cell in row]
                labelled = header[0].lower() in ("", "item")
                n_raters = len(header) - (1 if labelled else 0)
                if n_raters < 1:
                    raise _InputError(f"{path}: the header row names no raters")
                if n_raters > MAX_RATERS:
                    raise _InputError(
                        f"{path}: too many rater columns ({n_raters}; the limit is {MAX_RATERS})"
                    )
                continue
            if len(row) != len(header):
                raise _InputError(
                    f"{path}, line {reader.line_num}: expected {len(header)} cells like the header, "
                    f"found {len(row)}"
                )
            if len(rows) >= MAX_ROWS:
                raise _InputError(f"{path}: too many items (the limit is {MAX_ROWS:,} rows)")
            answers = row[1:] if labelled else row
            rows.append([cell.strip() or None for cell in answers])
    except csv.Error as exc:
        raise _InputError(f"{path}, line {reader.line_num}: not valid CSV ({exc})") from None
    if header is None:
        raise _InputError(f"{path} is empty: expected a header row of rater names and one row per item")
    if not rows:
        raise _InputError(f"{path} has a header but no items")
    return rows


def _split_categories(option: str | None) -> list[str] | None:
    if option is None:
        return None
    tokens = [token.strip() for token in option.split(",")]
    if not tokens or any(not token for token in tokens):
        raise _InputError("--categories must be a comma-separated list of answers with no empty entries")
    return tokens


def _parse_number(token: str) -> int | float | None:
    try:
        return int(token)
    except ValueError:
        pass
    try:
        number = float(token)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _to_values(
    rows: list[list[str | None]], category_tokens: list[str] | None
) -> tuple[list[list[Hashable | None]], list[Hashable] | None]:
    """Convert answers (and categories) to numbers when every one of them is a number."""
    tokens = [cell for row in rows for cell in row if cell is not None] + (category_tokens or [])
    numbers = {token: _parse_number(token) for token in set(tokens)}
    if tokens and all(number is not None for number in numbers.values()):

        def convert(token: str) -> Hashable:
            return numbers[token]

    else:

        def convert(token: str) -> Hashable:
            return token

    ratings: list[list[Hashable | None]] = [
        [None if cell is None else convert(cell) for cell in row] for row in rows
    ]
    categories = None if category_tokens is None else [convert(token) for token in category_tokens]
    return ratings, categories


def _has_text(ratings: Sequence[Sequence[Hashable | None]]) -> bool:
    return any(isinstance(value, str) for row in ratings for value in row)


def _format_table(summary: AgreementSummary) -> str:
    header = ("Figure", "Value", "Reading", "Items", "Raters")
    body: list[tuple[str, str, str, str, str]] = []
    for figure in summary.figures():
        value = "n/a" if figure.value is None else f"{figure.value:.3f}"
        read = figure.reading if figure.reading is not None else "not available (see below)"
        body.append((figure.name, value, read, str(figure.n_units), str(figure.n_raters)))
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            [
                cells[0].ljust(widths[0]),
                cells[1].rjust(widths[1]),
                cells[2].ljust(widths[2]),
                cells[3].rjust(widths[3]),
                cells[4].rjust(widths[4]),
            ]
        ).rstrip()

    out = [
        f"Agreement: {summary.n_units} items ({summary.n_units_used} answered by two or more raters), "
        f"{summary.n_raters} raters, {summary.level} level",
        "",
        line(header),
        line(["-" * width for width in widths]),
        *(line(row) for row in body),
        "",
    ]
    recommended = summary.recommended_figure
    out.append(f"Read: {recommended.name}" if recommended is not None else "Read: no figure is available")
    missing = [figure for figure in summary.figures() if figure.value is None]
    if missing:
        out.append("Not available:")
        for figure in missing:
            reason = str(figure.reason)
            text = reason if reason.startswith(figure.name) else f"{figure.name}: {reason}"
            out.append(textwrap.fill(text, 100, initial_indent="  ", subsequent_indent="    "))
    if summary.caution is not None:
        out.append(textwrap.fill(f"Caution: {summary.caution}", 100, subsequent_indent="  "))
    return "\n".join(out)
