"""`neglect-tool forms list|show|validate`."""

from __future__ import annotations

import argparse

from ..forms.loader import FormError, builtin_forms, get_form, load_form
from ..forms.model import FormDefinition
from .errors import CliError
from .output import print_json, print_table


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    forms = subparsers.add_parser("forms", help="the checklist forms: list, show, validate")
    sub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="the forms shipped with the app")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)
    show = sub.add_parser("show", help="a form's sections and items")
    show.add_argument("form_id", metavar="FORM_ID")
    show.add_argument("--version", type=int, dest="form_version")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=run_show)
    validate = sub.add_parser("validate", help="check form files against the schema and the rules")
    validate.add_argument("paths", metavar="PATH", nargs="+")
    validate.add_argument("--json", action="store_true")
    validate.set_defaults(func=run_validate)


def run_list(args: argparse.Namespace) -> int:
    forms = sorted(builtin_forms().values(), key=lambda f: f.key)
    if args.json:
        print_json([{"id": f.id, "version": f.version, "title": f.title, "sections": len(f.sections),
                     "items": len(f.items())} for f in forms])
    else:
        print_table(("Id", "Version", "Title", "Sections", "Items"),
                    [(f.id, f.version, f.title, len(f.sections), len(f.items())) for f in forms])
    return 0


def _outline(form: FormDefinition) -> dict[str, object]:
    return {
        "id": form.id, "version": form.version, "title": form.title, "attribution": form.attribution,
        "scales": {sid: [{"code": o.code, "label": o.label, "key": o.key, "missing": o.missing}
                         for o in s.options] for sid, s in form.scales.items()},
        "sections": [{"id": s.id, "title": s.title, "context_only": s.context_only, "items": [
            {"id": i.id, "text": i.text, "scale": i.scale_id, "polarity": i.polarity.value,
             "yes_means": i.yes_means or None, "ages": i.age_range.describe() if i.age_range else "all ages",
             "condition": i.condition, "agencies": list(i.agencies)} for i in s.items]} for s in form.sections],
        "free_text": [f.id for f in form.free_text],
    }


def run_show(args: argparse.Namespace) -> int:
    try:
        form = get_form(args.form_id, args.form_version)
    except KeyError as exc:
        raise CliError(str(exc.args[0]), exit_code=2) from exc
    if args.json:
        print_json(_outline(form))
        return 0
    print(f"{form.title} ({form.id} v{form.version})")
    print(form.attribution)
    for section in form.sections:
        print(f"\n[{section.id}] {section.title}{' (context)' if section.context_only else ''}")
        for item in section.items:
            extras = [item.age_range.describe()] if item.age_range else []
            if item.condition:
                extras.append(f"only if {item.condition}")
            if item.yes_means:
                extras.append(item.yes_means)
            suffix = f"  ({'; '.join(extras)})" if extras else ""
            print(f"  {item.id}: {item.text}{suffix}")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    results = []
    for path in args.paths:
        try:
            form = load_form(path)
            results.append({"path": path, "ok": True, "form": f"{form.id} v{form.version}", "problems": []})
        except FormError as exc:
            results.append({"path": path, "ok": False, "problems": [str(p) for p in exc.problems]})
    if args.json:
        print_json(results)
    else:
        for r in results:
            if r["ok"]:
                print(f"OK       {r['path']} ({r['form']})")
            else:
                print(f"INVALID  {r['path']}")
                for problem in r["problems"]:
                    print(f"  - {problem}")
    return 0 if all(r["ok"] for r in results) else 1
