"""Loading checklist forms from TOML: size limits, the published JSON Schema, then semantic checks.

Why TOML: Python reads it with the standard library (tomllib), form authors can write comments, and it
has none of YAML's implicit typing surprises ("no" becoming False, "1.10" becoming 1.1). The order of
checks is:

1. limits that need no parsing: file size (1 MiB), UTF-8, bracket nesting (so the parser never recurses
   deeply);
2. TOML syntax (tomllib's message carries the line and column);
3. limits on the parsed document: nesting depth and the total number of items;
4. structure, against the JSON Schema in forms/schema/form.schema.json (jsonschema, Draft 2020-12):
   known keys only, types, id patterns, text lengths, list sizes;
5. rules a schema cannot express (unique ids, references that resolve, ordered age bands, concern
   weights on real rating options), checked here.

Every problem is reported with the file and the place inside it, using section, item, scale and option
ids where the document has them, e.g. ``x.toml: sections[health].items[h3].scale: unknown scale 'grade'``.
Anything wrong with a form file raises FormError (a ValueError), never another exception.
"""

from __future__ import annotations

import difflib
import itertools
import json
import math
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..resources import DataFileMissing, forms_dir
from .model import (
    AgeRange,
    Condition,
    DisagreementRule,
    FormDefinition,
    FreeTextSection,
    Item,
    MissingKind,
    Polarity,
    ProfileRule,
    Scale,
    ScaleKind,
    ScaleOption,
    Section,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

__all__ = [
    "AGENCIES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_ITEMS",
    "FormError",
    "FormProblem",
    "build_form",
    "builtin_forms",
    "get_form",
    "load_form",
    "load_form_bytes",
    "load_form_text",
    "schema_path",
]

MAX_FILE_BYTES = 1024 * 1024  # 1 MiB: the largest real form is well under 50 KiB
MAX_DEPTH = 10  # containers inside containers; a real form needs 6 (form > sections > item > prompts)
MAX_ITEMS = 500  # across the whole form
AGENCIES = (
    "social_care", "health", "education", "early_years", "police", "housing", "probation", "voluntary",
    "other",
)
DEFAULT_MAX_CHARS = 20_000
_ID = re.compile(r"[a-z][a-z0-9_-]{0,63}")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
_ID_RULE = "use lower-case letters, digits, '-' and '_', starting with a letter, at most 64 characters"


# --- errors -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormProblem:
    """One problem: `location` names the file and the place in it; `message` says what is wrong."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class FormError(ValueError):
    """A form file is unreadable or invalid. `problems` lists every problem found, each with its place;
    str() gives them one per line."""

    def __init__(self, problems: Iterable[FormProblem]) -> None:
        self.problems: tuple[FormProblem, ...] = tuple(dict.fromkeys(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[FormError], tuple[tuple[FormProblem, ...]]]:
        return (FormError, (self.problems,))


def _fail(location: str, message: str) -> FormError:
    return FormError([FormProblem(location, message)])


def _too_large(size: int) -> str:
    return f"the file is too large ({size} bytes; the limit is {MAX_FILE_BYTES} bytes, 1 MiB)"


# --- the schema ---------------------------------------------------------------------------------------


def schema_path() -> Path:
    """The published JSON Schema for form files."""
    return forms_dir() / "schema" / "form.schema.json"


@cache
def _validator() -> Draft202012Validator:
    # jsonschema costs ~50 ms to import: loaded when the first form is read, not when the app starts
    from jsonschema import Draft202012Validator

    try:
        schema = json.loads(schema_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        message = "the form schema (forms/schema/form.schema.json) is missing; reinstall the app"
        raise DataFileMissing(message) from None
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


# --- reading ------------------------------------------------------------------------------------------


def load_form(path: str | os.PathLike[str]) -> FormDefinition:
    """Read, check and build the form in the TOML file at `path`. Raises FormError for any problem."""
    file = Path(path)
    source = file.name or str(file)
    return load_form_bytes(_read_limited(file, source), source=source, path=str(file))


def _read_limited(file: Path, source: str) -> bytes:
    try:
        info = file.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise _fail(source, "file not found") from None
    except OSError as exc:
        raise _fail(source, _unreadable(exc)) from None
    except ValueError:  # e.g. a NUL character in the path
        raise _fail(source, "is not a usable file name") from None
    if stat.S_ISDIR(info.st_mode):
        raise _fail(source, "is a folder, not a form file")
    if not stat.S_ISREG(info.st_mode):
        raise _fail(source, "is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise _fail(source, _too_large(info.st_size))
    try:
        with file.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)  # the size is checked again: the file may have grown
    except OSError as exc:
        raise _fail(source, _unreadable(exc)) from None


def _unreadable(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "cannot be read: permission denied"
    return f"cannot be read ({exc.strerror or type(exc).__name__})"


def load_form_bytes(data: bytes, source: str = "<bytes>", *, path: str = "") -> FormDefinition:
    """Check and build a form from the raw bytes of a TOML file (UTF-8, optionally with a BOM)."""
    if len(data) > MAX_FILE_BYTES:
        raise _fail(source, _too_large(len(data)))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise _fail(
            source,
            f"is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {column} "
            "cannot be read; save the file as UTF-8",
        ) from None
    return load_form_text(text.removeprefix("\ufeff"), source, path=path)


def load_form_text(text: str, source: str = "<string>", *, path: str = "") -> FormDefinition:
    """Check and build a form from TOML text. `source` names it in messages (usually the file name)."""
    if len(text) > MAX_FILE_BYTES or (
        len(text) * 4 > MAX_FILE_BYTES and len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES
    ):
        raise _fail(source, f"the form is too large (the limit is {MAX_FILE_BYTES} bytes, 1 MiB)")
    if not text.strip():
        raise _fail(source, "the file is empty")
    too_deep_at = _bracket_nesting_exceeded(text, MAX_DEPTH)
    if too_deep_at is not None:
        raise _fail(source, f"nesting is deeper than {MAX_DEPTH} levels (line {too_deep_at})")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, f"TOML syntax error: {exc}") from None
    except RecursionError:  # pragma: no cover - the bracket check above stops this first
        raise _fail(source, f"nesting is deeper than {MAX_DEPTH} levels") from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise _fail(source, "a number in the file is far too long") from None
    if not data:
        raise _fail(source, "the file holds no form (it has only comments or blank lines)")
    return build_form(data, source, path=path)


def _bracket_nesting_exceeded(text: str, limit: int) -> int | None:
    """The line where brackets ([ and {) outside strings and comments nest deeper than `limit`, if any.

    Run before tomllib, whose recursive parser would otherwise recurse once per level. A table header
    ([[sections.items]]) counts 2 levels, which is always below the depth of the data it opens.
    """
    depth = 0
    line = 1
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch in "\"'":
            i, line = _skip_string(text, i, line)
            continue
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return line
        elif ch in "]}":
            depth = max(depth - 1, 0)
        i += 1
    return None


def _skip_string(text: str, start: int, line: int) -> tuple[int, int]:
    """Index just after the TOML string opening at `start`, and the line number there."""
    quote = text[start]
    multiline = text.startswith(quote * 3, start)
    i = start + (3 if multiline else 1)
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and quote == '"':
            if i + 1 < n and text[i + 1] == "\n":
                line += 1
            i += 2
            continue
        if ch == "\n":
            if not multiline:  # an unterminated string: TOML reports it; resume scanning the next line
                return i, line
            line += 1
        elif ch == quote:
            if not multiline:
                return i + 1, line
            if text.startswith(quote * 3, i):
                i += 3
                while i < n and text[i] == quote:  # up to two quotes may end the content
                    i += 1
                return i, line
        i += 1
    return n, line


def _nesting_exceeds(data: Any, limit: int) -> bool:
    """True when containers nest deeper than `limit` (the top-level table is level 1). Iterative."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, level = stack.pop()
        if level > limit:
            return True
        children: Iterable[Any] = node.values() if isinstance(node, dict) else node
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return False


def _count_items(data: Mapping[str, Any]) -> int:
    sections = data.get("sections")
    if not isinstance(sections, list):
        return 0
    return sum(len(s["items"]) for s in sections if isinstance(s, dict) and isinstance(s.get("items"), list))


# --- structure: the JSON Schema -----------------------------------------------------------------------


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _key_text(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _short(key, 40)


def _element_label(element: Any) -> str | None:
    if isinstance(element, dict):
        for field in ("id", "code"):
            value = element.get(field)
            if isinstance(value, str) and _ID.fullmatch(value):
                return value
    return None


def _place(data: Any, path: Iterable[str | int]) -> str:
    """A readable place such as sections[health].items[h3].scale (ids where known, else indexes)."""
    parts: list[str] = []
    node: Any = data
    for step in path:
        if isinstance(step, int) and isinstance(node, list):
            element = node[step] if 0 <= step < len(node) else None
            label = f"[{_element_label(element) or step}]"
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
            node = element
        else:
            parts.append(_key_text(str(step)))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts)


def _at(source: str, place: str) -> str:
    return f"{source}: {place}" if place else source


_TYPE_WORDS = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "object": "a table", "array": "a list",
}


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return "a date or time" if hasattr(value, "isoformat") else type(value).__name__


def _schema_message(error: ValidationError) -> str:
    value: Any = error.validator_value
    rule, instance = error.validator, error.instance
    if rule == "type":
        types = [value] if isinstance(value, str) else list(value)
        wanted = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in types)
        shown = "" if isinstance(instance, dict | list) else f" ({_short(instance)})"
        return f"must be {wanted}, not {_kind_of(instance)}{shown}"
    if rule == "required":
        match = re.fullmatch(r"(.*) is a required property", error.message, re.DOTALL)
        return f"missing required key {match.group(1) if match else error.message}"
    if rule == "additionalProperties" and isinstance(instance, dict) and isinstance(error.schema, Mapping):
        properties = error.schema.get("properties")
        allowed = [str(k) for k in properties] if isinstance(properties, Mapping) else []
        extras = [k for k in instance if k not in allowed]
        hints = []
        for key in extras[:5]:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hints.append(f"{_short(key)}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        more = f" and {len(extras) - 5} more" if len(extras) > 5 else ""
        plural = "s" if len(extras) > 1 else ""
        return f"unknown key{plural} {', '.join(hints)}{more}; allowed: {', '.join(allowed)}"
    if rule == "pattern":
        if value == "\\S":
            return "must not be empty" if instance == "" else "must not be blank"
        if value == "^[0-9a-z]$":
            return f"{_short(instance)} is not a valid key: use one digit or one lower-case letter"
        return f"{_short(instance)} is not a valid id: {_ID_RULE}"
    if rule == "minLength":
        return "must not be empty" if instance == "" else f"is too short (at least {value} characters)"
    if rule == "maxLength" and isinstance(instance, str):
        return f"is too long ({len(instance)} characters; at most {value})"
    if rule == "minimum":
        return f"must be at least {value} (found {_short(instance)})"
    if rule == "maximum":
        return f"must be at most {value} (found {_short(instance)})"
    if rule == "minItems" and isinstance(instance, list):
        if value == 1:
            return "must not be empty"
        return f"needs at least {value} entries (found {len(instance)})"
    if rule in ("maxItems", "maxProperties") and isinstance(instance, list | dict):
        return f"has too many entries ({len(instance)}; at most {value})"
    if rule == "uniqueItems" and isinstance(instance, list):
        repeated = next((v for n, v in enumerate(instance) if v in instance[:n]), None)
        return f"lists {_short(repeated)} more than once"
    if rule == "enum" and isinstance(value, list):
        choices = ", ".join(str(v) for v in value)
        return f"{_short(instance)} is not allowed here; use one of: {choices}"
    message = error.message
    return message if len(message) <= 200 else message[:197] + "..."


def _schema_problems(data: Mapping[str, Any], source: str) -> list[FormProblem]:
    def order(error: ValidationError) -> tuple[int, ...]:
        """Document order: the position of each key or element along the error's path."""
        positions: list[int] = []
        node: Any = data
        for step in error.absolute_path:
            if isinstance(node, list) and isinstance(step, int):
                positions.append(step)
                node = node[step] if 0 <= step < len(node) else None
            elif isinstance(node, dict):
                keys = list(node)
                positions.append(keys.index(step) if step in node else len(keys))
                node = node.get(step)
            else:
                break
        return tuple(positions)

    errors = sorted(_validator().iter_errors(data), key=order)
    return [FormProblem(_at(source, _place(data, e.absolute_path)), _schema_message(e)) for e in errors]


# --- meaning: rules a schema cannot express -----------------------------------------------------------


def _repeats(values: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(index, value) of every value already seen earlier in `values`."""
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            yield index, value
        seen.add(value)


def _semantic_problems(data: Mapping[str, Any], source: str) -> Iterator[FormProblem]:
    def problem(place: str, message: str) -> FormProblem:
        return FormProblem(_at(source, place), message)

    # scales and their options
    scale_list: list[dict[str, Any]] = data["scales"]
    scales = {s["id"]: s for s in scale_list}
    for _i, sid in _repeats(s["id"] for s in scale_list):
        yield problem(f"scales[{sid}]", f"scale id {sid!r} is used by more than one scale")
    for scale in scale_list:
        where = f"scales[{scale['id']}]"
        options: list[dict[str, Any]] = scale["options"]
        for _i, code in _repeats(o["code"] for o in options):
            yield problem(f"{where}.options[{code}]", f"option code {code!r} is used twice in this scale")
        keys: dict[str, str] = {}
        missing_kinds: dict[str, str] = {}
        for option in options:
            code, key = option["code"], option["key"]
            if key in keys:
                yield problem(f"{where}.options[{code}].key",
                              f"key {key!r} is also used by option {keys[key]!r}")
            keys.setdefault(key, code)
            kind = option.get("missing")
            if kind is not None:
                if kind in missing_kinds:
                    yield problem(f"{where}.options[{code}].missing",
                                  f"only one option per scale may be missing = {kind!r} "
                                  f"(option {missing_kinds[kind]!r} already is)")
                missing_kinds.setdefault(kind, code)
        rating_count = sum(1 for o in options if "missing" not in o)
        if rating_count < 2:
            yield problem(f"{where}.options", "a scale needs at least two rating options besides Not known "
                          f"and N/A (found {rating_count})")
        if scale["kind"] == ScaleKind.ORDINAL:
            seen_missing = False
            for option in options:
                if "missing" in option:
                    seen_missing = True
                elif seen_missing:
                    yield problem(f"{where}.options[{option['code']}]",
                                  "rating options come first, best first; Not known and N/A go after them")
                    break

    # conditions and free text
    conditions = [c["id"] for c in data.get("conditions", [])]
    for _i, cid in _repeats(conditions):
        yield problem(f"conditions[{cid}]", f"condition id {cid!r} is declared more than once")
    for _i, fid in _repeats(f["id"] for f in data.get("free_text", [])):
        yield problem(f"free_text[{fid}]", f"free-text id {fid!r} is used more than once")

    # sections and items
    sections: list[dict[str, Any]] = data["sections"]
    for _i, sid in _repeats(s["id"] for s in sections):
        yield problem(f"sections[{sid}]", f"section id {sid!r} is used by more than one section")
    item_home: dict[str, str] = {}
    used_scales: set[str] = set()
    known = ", ".join(scales) or "none"
    for section in sections:
        sid = section["id"]
        default_scale = section.get("scale")
        if default_scale is not None and default_scale not in scales:
            yield problem(f"sections[{sid}].scale",
                          f"unknown scale {default_scale!r} (scales defined: {known})")
        for item in section["items"]:
            iid = item["id"]
            where = f"sections[{sid}].items[{iid}]"
            if iid in item_home:
                yield problem(where, f"item id {iid!r} is already used in sections[{item_home[iid]}]; "
                              "item ids must be unique across the whole form")
            item_home.setdefault(iid, sid)
            own_scale = item.get("scale")
            if own_scale is not None:
                if own_scale in scales:
                    used_scales.add(own_scale)
                else:
                    yield problem(f"{where}.scale", f"unknown scale {own_scale!r} (scales defined: {known})")
            elif default_scale is None:
                yield problem(where, "has no scale: give the item a scale, or its section a default scale")
            elif default_scale in scales:
                used_scales.add(default_scale)
            low, high = item.get("min_months"), item.get("max_months")
            if low is not None and high is not None and low >= high:
                yield problem(f"{where}.max_months", f"max_months ({high}) must be greater than min_months "
                              f"({low}); the upper bound is exclusive")
            condition = item.get("condition")
            if condition is not None and condition not in conditions:
                declared = ", ".join(conditions) or "none"
                yield problem(f"{where}.condition", f"unknown condition {condition!r}: declare it under "
                              f"[[conditions]] (declared: {declared})")

    # the concern index: weights on real rating options only, labelled as a visual aid
    profile: dict[str, Any] = data.get("profile", {})
    weights: dict[str, Any] = profile.get("concern_weights", {})
    rating_codes = {o["code"] for s in scale_list for o in s["options"] if "missing" not in o}
    missing_on = {o["code"]: s["id"] for s in scale_list for o in s["options"] if "missing" in o}
    for code, weight in weights.items():
        where = f"profile.concern_weights.{code}"
        if code in missing_on:
            yield problem(where, f"{code!r} is a Not known / N/A option (scale {missing_on[code]!r}); "
                          "those options never carry a concern weight")
        elif code not in rating_codes:
            yield problem(where, f"{code!r} is not a rating option of any scale")
        if isinstance(weight, float) and not math.isfinite(weight):
            yield problem(where, "must be a finite number")
    ordinal_used = [scales[s] for s in sorted(used_scales) if scales[s]["kind"] == ScaleKind.ORDINAL]
    if weights:
        for used in ordinal_used:
            codes: list[str] = [o["code"] for o in used["options"] if "missing" not in o]
            unweighted = [c for c in codes if c not in weights]
            if unweighted:
                yield problem("profile.concern_weights", f"no weight for rating option(s) "
                              f"{', '.join(map(repr, unweighted))} of scale {used['id']!r}")
                continue
            values = [weights[c] for c in codes]
            if any(b < a for a, b in itertools.pairwise(values)):
                shown = ", ".join(f"{c} = {weights[c]}" for c in codes)
                yield problem("profile.concern_weights", f"weights must not fall from the best rating to the "
                              f"worst on scale {used['id']!r} ({shown})")
        label = profile.get("label", ProfileRule().label)
        if "visual aid" not in label.lower():
            yield problem("profile.label", "the concern index must be labelled as a visual aid "
                          "(include the words 'visual aid')")

    # disagreement: a threshold that can be reached
    min_steps = data.get("disagreement", {}).get("min_steps")
    if min_steps is not None and ordinal_used:
        longest = max(sum(1 for o in s["options"] if "missing" not in o) for s in ordinal_used)
        if min_steps > longest - 1:
            yield problem("disagreement.min_steps", f"{min_steps} steps can never be reached: the longest "
                          f"ordinal scale used has {longest} rating options ({longest - 1} steps at most)")


# --- building -----------------------------------------------------------------------------------------


def build_form(data: Any, source: str = "<data>", *, path: str = "") -> FormDefinition:
    """Check a parsed document (the tables tomllib returns) and build the form. Raises FormError."""
    if not isinstance(data, dict):
        raise _fail(source, f"a form must be a table of keys, not {_kind_of(data)}")
    if _nesting_exceeds(data, MAX_DEPTH):
        raise _fail(source, f"nesting is deeper than {MAX_DEPTH} levels")
    total = _count_items(data)
    if total > MAX_ITEMS:
        raise _fail(_at(source, "sections"), f"too many items ({total}; at most {MAX_ITEMS} in a form)")
    problems = _schema_problems(data, source)
    if not problems:  # the semantic checks rely on the structure being sound
        problems = list(_semantic_problems(data, source))
    if problems:
        raise FormError(problems)
    return _build(data, path)


def _build(data: Mapping[str, Any], path: str) -> FormDefinition:
    scales = {
        s["id"]: Scale(
            id=s["id"],
            kind=ScaleKind(s["kind"]),
            options=tuple(
                ScaleOption(
                    code=o["code"],
                    label=o["label"],
                    key=o["key"],
                    missing=MissingKind(o["missing"]) if "missing" in o else None,
                    descriptor=o.get("descriptor", ""),
                )
                for o in s["options"]
            ),
        )
        for s in data["scales"]
    }
    sections = tuple(
        Section(
            id=s["id"],
            title=s["title"],
            guidance=s.get("guidance", ""),
            context_only=s.get("context_only", False),
            items=tuple(_build_item(i, s.get("scale")) for i in s["items"]),
        )
        for s in data["sections"]
    )
    profile = data.get("profile", {})
    disagreement = data.get("disagreement", {})
    defaults = DisagreementRule()
    return FormDefinition(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        attribution=data["attribution"],
        description=data.get("description", ""),
        scales=scales,
        sections=sections,
        free_text=tuple(
            FreeTextSection(f["id"], f["title"], f.get("guidance", ""), f.get("max_chars", DEFAULT_MAX_CHARS))
            for f in data.get("free_text", ())
        ),
        conditions=tuple(Condition(c["id"], c["label"]) for c in data.get("conditions", ())),
        profile=ProfileRule(
            concern_weights={k: float(v) for k, v in profile.get("concern_weights", {}).items()},
            label=profile.get("label", ProfileRule().label),
        ),
        disagreement=DisagreementRule(
            min_steps=disagreement.get("min_steps", defaults.min_steps),
            flag_information_difference=disagreement.get(
                "flag_information_difference", defaults.flag_information_difference
            ),
        ),
        source_path=path,
    )


def _build_item(item: Mapping[str, Any], section_scale: str | None) -> Item:
    has_ages = "min_months" in item or "max_months" in item
    scale_id = item.get("scale", section_scale)
    assert isinstance(scale_id, str)  # checked by _semantic_problems
    return Item(
        id=item["id"],
        text=item["text"],
        scale_id=scale_id,
        guidance=item.get("guidance", ""),
        prompts=tuple(item.get("prompts", ())),
        polarity=Polarity(item.get("polarity", Polarity.MET.value)),
        yes_means=item.get("yes_means", ""),
        age_range=AgeRange(item.get("min_months"), item.get("max_months")) if has_ages else None,
        condition=item.get("condition"),
        agencies=tuple(item.get("agencies", ())),
    )


# --- the shipped forms --------------------------------------------------------------------------------


@cache
def _builtin() -> dict[tuple[str, int], FormDefinition]:
    forms: dict[tuple[str, int], FormDefinition] = {}
    files: dict[tuple[str, int], str] = {}
    for file in sorted(forms_dir().glob("*.toml")):
        if not file.is_file():
            continue
        form = load_form(file)
        if form.key in forms:
            raise _fail(file.name,
                        f"form {form.id!r} version {form.version} is also defined in {files[form.key]}")
        forms[form.key] = form
        files[form.key] = file.name
    return forms


def builtin_forms() -> dict[tuple[str, int], FormDefinition]:
    """Every form shipped in forms/, keyed by (id, version); loaded once, then cached.

    A shipped form that does not validate raises FormError: the installation is broken.
    """
    return dict(_builtin())


def get_form(form_id: str, version: int | None = None) -> FormDefinition:
    """A shipped form; its latest version when `version` is None. KeyError when there is no such form."""
    forms = _builtin()
    versions = sorted(v for (i, v) in forms if i == form_id)
    if not versions:
        installed = ", ".join(sorted({i for i, _v in forms})) or "none"
        raise KeyError(f"no form {form_id!r} is installed (installed: {installed})")
    if version is None:
        return forms[(form_id, versions[-1])]
    if version not in versions:
        listed = ", ".join(map(str, versions))
        raise KeyError(f"form {form_id!r} has no version {version} (installed versions: {listed})")
    return forms[(form_id, version)]

