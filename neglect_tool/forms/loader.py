"""Loading checklist forms from TOML: size limits, the published JSON Schema, then semantic checks.

Why TOML: Python reads it with the standard library (tomllib), form authors can write comments, and it
has none of YAML's implicit typing surprises ("no" becoming False). Structure is validated with the
JSON Schema in forms/schema/form.schema.json (jsonschema, Draft 2020-12); rules a schema cannot say
(unique ids, references that resolve, ordered age bands) are checked here. Every problem is reported
with the file and the place inside it, e.g. `x.toml: sections[health].items[h3].scale: unknown scale`.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ..resources import forms_dir
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

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 12
MAX_ITEMS = 500
MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class FormProblem:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class FormError(ValueError):
    """A form file is unreadable or invalid; `problems` lists every problem found, each with its place."""

    def __init__(self, problems: Sequence[FormProblem]) -> None:
        self.problems = tuple(problems)
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"... and {len(self.problems) - MAX_PROBLEMS_SHOWN} more problems")
        super().__init__("\n".join(shown))


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads((forms_dir() / "schema" / "form.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_path() -> Path:
    return forms_dir() / "schema" / "form.schema.json"


# --- reading ------------------------------------------------------------------------------------------


def load_form(path: str | Path) -> FormDefinition:
    path = Path(path)
    name = path.name or str(path)
    try:
        if path.is_dir():
            raise FormError([FormProblem(name, "is a folder, not a form file")])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FormError([FormProblem(name, f"file is too large ({size} bytes; at most {MAX_FILE_BYTES})")])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FormError([FormProblem(name, "file not found")]) from None
    except OSError as exc:
        raise FormError([FormProblem(name, f"cannot be read ({exc.strerror or type(exc).__name__})")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormError([FormProblem(name, f"is not UTF-8 text (byte {exc.start})")]) from None
    return load_form_text(text, source=name, path=str(path))


def load_form_text(text: str, source: str = "<string>", path: str = "") -> FormDefinition:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise FormError([FormProblem(source, f"form is too large (at most {MAX_FILE_BYTES} bytes)")])
    if not text.strip():
        raise FormError([FormProblem(source, "the file is empty")])
    _check_bracket_depth(text, source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FormError([FormProblem(source, f"not valid TOML: {exc}")]) from None
    except RecursionError:
        raise FormError([FormProblem(source, f"nesting is deeper than {MAX_DEPTH} levels")]) from None
    return build_form(data, source=source, path=path)


def _check_bracket_depth(text: str, source: str) -> None:
    """Refuse absurd nesting before the TOML parser recurses into it (a cheap over-estimate: brackets in
    strings count too, which only matters for forms far deeper than any real one)."""
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
        if deepest > 4 * MAX_DEPTH:
            raise FormError([FormProblem(source, f"nesting is deeper than {MAX_DEPTH} levels")])


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, Mapping):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


# --- validating ---------------------------------------------------------------------------------------


def _schema_location(data: Mapping[str, Any], error: ValidationError) -> str:
    """A readable place: sections[health].items[h3].scale, using ids where the document has them."""
    parts: list[str] = []
    node: Any = data
    for step in error.absolute_path:
        if isinstance(step, int):
            element = node[step] if isinstance(node, list) and step < len(node) else None
            ident = element.get("id") if isinstance(element, Mapping) else None
            if ident is None and isinstance(element, Mapping):
                ident = element.get("code")
            label = ident if isinstance(ident, str) and len(ident) < 70 else str(step)
            if parts:
                parts[-1] += f"[{label}]"
            else:
                parts.append(f"[{label}]")
            node = element
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, Mapping) else None
    return ".".join(parts) or "(top level)"


def _schema_message(error: ValidationError) -> str:
    if error.validator == "additionalProperties":
        return f"unknown key(s): {error.message.split('(')[-1].rstrip(')')}"
    if error.validator == "required":
        return f"missing {error.message.split(' is a required')[0]}"
    if error.validator == "pattern" and isinstance(error.instance, str):
        if isinstance(error.schema, Mapping) and error.schema.get("pattern") == "\\S":
            return "must not be blank"
        return f"{error.instance[:60]!r} is not a valid id (lower-case letters, digits, - and _; starts with a letter)"
    message = error.message
    return message if len(message) < 300 else message[:300] + "..."


def validate_data(data: Mapping[str, Any], source: str) -> list[FormProblem]:
    """Schema problems, then (only if the structure is sound) semantic problems."""
    if _depth(data) > MAX_DEPTH:
        return [FormProblem(source, f"nesting is deeper than {MAX_DEPTH} levels")]
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        return [FormProblem(f"{source}: {_schema_location(data, e)}", _schema_message(e)) for e in errors]
    return list(_semantic_problems(data, source))


def _dupes(values: Iterable[str]) -> list[str]:
    return [v for v, n in Counter(values).items() if n > 1]


def _semantic_problems(data: Mapping[str, Any], source: str) -> Iterable[FormProblem]:
    def at(where: str) -> str:
        return f"{source}: {where}"

    scales = {s["id"]: s for s in data["scales"]}
    for dup in _dupes(s["id"] for s in data["scales"]):
        yield FormProblem(at(f"scales[{dup}]"), "duplicate scale id")
    for scale in data["scales"]:
        where = f"scales[{scale['id']}]"
        options = scale["options"]
        for dup in _dupes(o["code"] for o in options):
            yield FormProblem(at(f"{where}.options[{dup}]"), "duplicate option code")
        for dup in _dupes(o["key"] for o in options):
            yield FormProblem(at(f"{where}.options"), f"key {dup!r} is used by more than one option")
        for dup in _dupes(o["missing"] for o in options if "missing" in o):
            yield FormProblem(at(f"{where}.options"), f"more than one option is marked missing = {dup!r}")
        ratings = [o for o in options if "missing" not in o]
        if len(ratings) < 2:
            yield FormProblem(at(where), "a scale needs at least two rating options (besides Not known / N/A)")

    condition_ids = [c["id"] for c in data.get("conditions", [])]
    for dup in _dupes(condition_ids):
        yield FormProblem(at(f"conditions[{dup}]"), "duplicate condition id")
    known_conditions = {*condition_ids, "disability_or_delay"}

    for dup in _dupes(s["id"] for s in data["sections"]):
        yield FormProblem(at(f"sections[{dup}]"), "duplicate section id")
    all_items = [(s, i) for s in data["sections"] for i in s["items"]]
    if len(all_items) > MAX_ITEMS:
        yield FormProblem(at("sections"), f"too many items ({len(all_items)}; at most {MAX_ITEMS})")
    for dup in _dupes(i["id"] for _s, i in all_items):
        yield FormProblem(at(f"items[{dup}]"), "duplicate item id (item ids must be unique across the form)")
    for section, item in all_items:
        where = f"sections[{section['id']}].items[{item['id']}]"
        scale_id = item.get("scale", section.get("scale"))
        if scale_id is None:
            yield FormProblem(at(f"{where}.scale"), "no scale: give the item or its section a scale")
        elif scale_id not in scales:
            yield FormProblem(at(f"{where}.scale"), f"unknown scale {scale_id!r}")
        lo, hi = item.get("min_months"), item.get("max_months")
        if lo is not None and hi is not None and lo >= hi:
            yield FormProblem(at(f"{where}.max_months"), f"max_months ({hi}) must be greater than min_months ({lo})")
        if "condition" in item and item["condition"] not in known_conditions:
            yield FormProblem(at(f"{where}.condition"), f"unknown condition {item['condition']!r}")
    for dup in _dupes(f["id"] for f in data.get("free_text", [])):
        yield FormProblem(at(f"free_text[{dup}]"), "duplicate free-text section id")

    weights = data.get("profile", {}).get("concern_weights", {})
    rating_codes = {o["code"] for s in data["scales"] for o in s["options"] if "missing" not in o}
    missing_codes = {o["code"] for s in data["scales"] for o in s["options"] if "missing" in o}
    for code in weights:
        if code in missing_codes and code not in rating_codes:
            yield FormProblem(at(f"profile.concern_weights.{code}"),
                              "Not known / N/A options never carry a concern weight")
        elif code not in rating_codes:
            yield FormProblem(at(f"profile.concern_weights.{code}"), f"no scale has a rating option {code!r}")


# --- building -----------------------------------------------------------------------------------------


def build_form(data: Any, source: str = "<data>", path: str = "") -> FormDefinition:
    if not isinstance(data, Mapping):
        raise FormError([FormProblem(source, "a form must be a table of keys")])
    problems = validate_data(data, source)
    if problems:
        raise FormError(problems)
    scales = {
        s["id"]: Scale(
            s["id"],
            ScaleKind(s["kind"]),
            tuple(
                ScaleOption(o["code"], o["label"], o["key"],
                            MissingKind(o["missing"]) if "missing" in o else None, o.get("descriptor", ""))
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
            items=tuple(
                Item(
                    id=i["id"],
                    text=i["text"],
                    scale_id=i.get("scale", s.get("scale")),
                    guidance=i.get("guidance", ""),
                    prompts=tuple(i.get("prompts", ())),
                    polarity=Polarity(i.get("polarity", "met")),
                    yes_means=i.get("yes_means", ""),
                    age_range=(AgeRange(i.get("min_months"), i.get("max_months"))
                               if "min_months" in i or "max_months" in i else None),
                    condition=i.get("condition"),
                    agencies=tuple(i.get("agencies", ())),
                )
                for i in s["items"]
            ),
        )
        for s in data["sections"]
    )
    profile = data.get("profile", {})
    disagreement = data.get("disagreement", {})
    return FormDefinition(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        attribution=data["attribution"],
        description=data.get("description", ""),
        scales=scales,
        sections=sections,
        free_text=tuple(
            FreeTextSection(f["id"], f["title"], f.get("guidance", ""), f.get("max_chars", 20_000))
            for f in data.get("free_text", ())
        ),
        conditions=tuple(Condition(c["id"], c["label"]) for c in data.get("conditions", ())),
        profile=ProfileRule(
            {k: float(v) for k, v in profile.get("concern_weights", {}).items()},
            profile.get("label", ProfileRule().label),
        ),
        disagreement=DisagreementRule(
            disagreement.get("min_steps", 2), disagreement.get("flag_information_difference", True)
        ),
        source_path=path,
    )


# --- the shipped forms --------------------------------------------------------------------------------


@cache
def builtin_forms() -> dict[tuple[str, int], FormDefinition]:
    """Every form shipped in forms/, keyed by (id, version). A broken shipped form is an install error."""
    forms: dict[tuple[str, int], FormDefinition] = {}
    for file in sorted(forms_dir().glob("*.toml")):
        form = load_form(file)
        if form.key in forms:
            raise FormError([FormProblem(file.name, f"form {form.id} v{form.version} is shipped twice")])
        forms[form.key] = form
    return forms


def get_form(form_id: str, version: int | None = None) -> FormDefinition:
    """A shipped form; the latest version when `version` is None. KeyError if there is none."""
    matches = {v: f for (i, v), f in builtin_forms().items() if i == form_id}
    if not matches:
        raise KeyError(f"no form {form_id!r} is installed")
    if version is None:
        return matches[max(matches)]
    if version not in matches:
        raise KeyError(f"form {form_id!r} has no version {version} installed")
    return matches[version]
