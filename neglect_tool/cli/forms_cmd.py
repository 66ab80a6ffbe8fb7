"""``neglect-tool forms list|show|validate``: the checklist forms shipped with the app, and form files.

    forms list [--json]                          the installed forms: id, version, title, sections, items
    forms show FORM_ID [--version N] [--json]    a form's outline (FORM_ID may also be a .toml file)
    forms validate PATH... [--json]              check form files; exit 1 if any is invalid

Every function returns an exit status; errors are one line on stderr (2 for usage-type problems such
as an unknown form, 1 when a shipped form or the schema is broken), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..forms.loader import FormError, builtin_forms, get_form, load_form
from ..forms.model import FormDefinition, Item, Polarity, Scale
from ..resources import DataFileMissing
from .output import print_json, print_table

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``forms`` subcommand and its actions to `subparsers`."""
    forms = subparsers.add_parser(
        "forms", help="the checklist forms: list, show, validate",
        description="The checklist forms shipped with the app, and checks for form files (TOML).",
    )
    actions = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="the forms installed with the app")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(func=run_list)

    show = actions.add_parser("show", help="a form's outline: sections, items, ages, scales")
    show.add_argument("form_id", metavar="FORM_ID",
                      help="an installed form's id, or the path of a .toml form file")
    show.add_argument("--version", type=_version_number, dest="form_version", metavar="N",
                      help="a particular version (default: the latest installed)")
    show.add_argument("--json", action="store_true", help="print the outline as JSON")
    show.set_defaults(func=run_show)

    validate = actions.add_parser("validate", help="check form files against the schema and the rules")
    validate.add_argument("paths", metavar="PATH", nargs="+", help="form files (.toml) to check")
    validate.add_argument("--json", action="store_true", help="print the results as JSON")
    validate.set_defaults(func=run_validate)


def _version_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("versions start at 1")
    return value


def _error(message: str, status: int) -> int:
    print(f"neglect-tool: {message}", file=sys.stderr)
    return status


def _broken_install(exc: FormError | DataFileMissing) -> int:
    if isinstance(exc, FormError):
        first = str(exc.problems[0]) if exc.problems else "invalid form"
        others = len(exc.problems) - 1
        more = f" (and {others} more problem{'s' if others > 1 else ''})" if others > 0 else ""
        return _error(f"a form shipped with the app is invalid: {first}{more}; reinstall the app",
                      EXIT_INVALID)
    return _error(str(exc), EXIT_INVALID)


# --- list ---------------------------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    try:
        forms = sorted(builtin_forms().values(), key=lambda f: f.key)
    except (FormError, DataFileMissing) as exc:
        return _broken_install(exc)
    rows = [(f.id, f.version, f.title, len(f.sections), len(f.items())) for f in forms]
    if args.json:
        keys = ("id", "version", "title", "sections", "items")
        print_json([dict(zip(keys, row, strict=True)) for row in rows])
    else:
        print_table(("Id", "Version", "Title", "Sections", "Items"), rows)
    return EXIT_OK


# --- show ---------------------------------------------------------------------------------------------


def run_show(args: argparse.Namespace) -> int:
    target = str(args.form_id)
    try:
        if _is_path(target):
            if args.form_version is not None:
                return _error("--version applies to installed forms, not to a form file", EXIT_USAGE)
            form = load_form(Path(target))
        else:
            form = get_form(target, args.form_version)
    except KeyError as exc:
        return _error(str(exc.args[0]), EXIT_USAGE)
    except FormError as exc:
        if _is_path(target):
            first = str(exc.problems[0]) if exc.problems else "invalid form"
            return _error(f"{first} (run 'neglect-tool forms validate {target}' for every problem)",
                          EXIT_INVALID)
        return _broken_install(exc)
    except DataFileMissing as exc:
        return _broken_install(exc)
    if args.json:
        print_json(_outline(form))
    else:
        print("\n".join(_outline_lines(form)))
    return EXIT_OK


def _is_path(target: str) -> bool:
    return target.endswith(".toml") or "/" in target or "\\" in target


def _ages(item: Item) -> str:
    return item.age_range.describe() if item.age_range else "all ages"


def _outline(form: FormDefinition) -> dict[str, Any]:
    return {
        "id": form.id,
        "version": form.version,
        "title": form.title,
        "attribution": form.attribution,
        "description": form.description,
        "scales": [
            {"id": s.id, "kind": s.kind.value, "options": [
                {"code": o.code, "label": o.label, "key": o.key,
                 "missing": o.missing.value if o.missing else None, "descriptor": o.descriptor}
                for o in s.options]}
            for s in form.scales.values()
        ],
        "conditions": [{"id": c.id, "label": c.label} for c in form.conditions],
        "profile": {"label": form.profile.label, "concern_weights": form.profile.concern_weights},
        "disagreement": {"min_steps": form.disagreement.min_steps,
                         "flag_information_difference": form.disagreement.flag_information_difference},
        "sections": [
            {"id": s.id, "title": s.title, "guidance": s.guidance, "context_only": s.context_only, "items": [
                {"id": i.id, "text": i.text, "scale": i.scale_id, "polarity": i.polarity.value,
                 "yes_means": i.yes_means or None, "ages": _ages(i),
                 "min_months": i.age_range.min_months if i.age_range else None,
                 "max_months": i.age_range.max_months if i.age_range else None,
                 "condition": i.condition, "agencies": list(i.agencies),
                 "guidance": i.guidance, "prompts": list(i.prompts)}
                for i in s.items]}
            for s in form.sections
        ],
        "free_text": [{"id": f.id, "title": f.title, "max_chars": f.max_chars} for f in form.free_text],
    }


def _scale_line(scale: Scale) -> str:
    options = []
    for o in scale.options:
        extra = ", not a rating" if o.missing else ""
        options.append(f"[{o.key}] {o.label} ({o.code}{extra})")
    return f"  {scale.id} ({scale.kind.value}): " + "; ".join(options)


def _outline_lines(form: FormDefinition) -> list[str]:
    items = form.items()
    counts = f"{len(form.sections)} sections, {len(items)} items"
    lines = [f"{form.title}  ({form.id}, version {form.version}; {counts})", form.attribution]
    if form.description:
        lines.append(form.description)
    lines += ["", "Scales:"] + [_scale_line(s) for s in form.scales.values()]
    descriptors = [(s, o) for s in form.scales.values() for o in s.options if o.descriptor]
    if descriptors:
        lines += [f"    {o.label}: {o.descriptor}" for _s, o in descriptors]
    if form.conditions:
        lines += ["", "Conditions:"] + [f"  {c.id}: {c.label}" for c in form.conditions]
    if form.profile.has_index:
        weights = ", ".join(f"{code} = {w:g}" for code, w in form.profile.concern_weights.items())
        lines += ["", f"Concern weights: {weights}", f"  shown as: {form.profile.label}"]
    lines.append(f"Disagreement: {form.disagreement.min_steps} or more steps apart"
                 + ("; Not known beside a rating is flagged" if form.disagreement.flag_information_difference
                    else ""))
    lines.append("Items are worded so that the first option means the need is met, unless marked otherwise.")
    for section in form.sections:
        section_scales = {i.scale_id for i in section.items}
        shared = next(iter(section_scales)) if len(section_scales) == 1 else None
        notes = [f"scale {shared}"] if shared else []
        if section.context_only:
            notes.append("context only")
        lines += ["", f"[{section.id}] {section.title}  ({'; '.join(notes)})" if notes else
                  f"[{section.id}] {section.title}"]
        for item in section.items:
            lines.append(f"  {item.id}: {item.text}")
            details = [_ages(item)]
            if shared is None:
                details.append(f"scale {item.scale_id}")
            if item.polarity is Polarity.CONCERN:
                details.append("worded as a concern: the first option means the need is NOT met")
            if item.yes_means:
                details.append(item.yes_means)
            if item.condition:
                details.append(f"only if {item.condition}")
            if item.agencies:
                details.append("ask: " + ", ".join(item.agencies))
            lines.append("      " + "; ".join(details))
    if form.free_text:
        lines += ["", "Free text:"] + [f"  {f.id}: {f.title}" for f in form.free_text]
    return lines


# --- validate -----------------------------------------------------------------------------------------


def run_validate(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    for path in args.paths:
        try:
            form = load_form(Path(path))
        except DataFileMissing as exc:
            return _broken_install(exc)
        except FormError as exc:
            problems = [{"location": p.location, "message": p.message} for p in exc.problems]
            results.append({"path": str(path), "ok": False, "form": None, "problems": problems})
        else:
            results.append({"path": str(path), "ok": True, "form": {"id": form.id, "version": form.version},
                            "problems": []})
    if args.json:
        print_json(results)
    else:
        for result in results:
            if result["ok"]:
                form_ref = result["form"]
                print(f"OK       {result['path']}  ({form_ref['id']}, version {form_ref['version']})")
            else:
                count = len(result["problems"])
                print(f"INVALID  {result['path']}  ({count} problem{'s' if count != 1 else ''})")
                for p in result["problems"]:
                    print(f"  - {p['location']}: {p['message']}")
    return EXIT_OK if all(r["ok"] for r in results) else EXIT_INVALID
