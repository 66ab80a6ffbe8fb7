"""Forms as data: the shipped forms validate; malformed forms are refused with the place and the problem."""

from __future__ import annotations

import argparse
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from neglect_tool.cli import forms_cmd
from neglect_tool.forms import FormError, builtin_forms, get_form, load_form, load_form_text
from neglect_tool.forms.loader import MAX_FILE_BYTES, build_form, schema_path
from neglect_tool.forms.model import MissingKind
from neglect_tool.resources import forms_dir

CHECKLIST = "childcare-development-checklist"

MINIMAL = """
id = "mini"
version = 1
title = "Mini form"
attribution = "test"

[[scales]]
id = "ybn"
kind = "ordinal"
options = [
  { code = "yes", label = "Yes", key = "1" },
  { code = "no", label = "No", key = "2" },
  { code = "not_known", label = "Not known", key = "3", missing = "not_known" },
]

[profile]
concern_weights = { yes = 0, no = 2 }

[[sections]]
id = "one"
title = "One"
scale = "ybn"
items = [
  { id = "a", text = "First statement" },
  { id = "b", text = "Second statement", min_months = 0, max_months = 60 },
]
"""


def test_shipped_forms_validate_with_expected_shape() -> None:
    forms = builtin_forms()
    assert {key[0] for key in forms} == {CHECKLIST, "care-profile-graded", "home-conditions"}
    checklist = get_form(CHECKLIST)
    assert 8 <= len(checklist.sections) <= 10
    assert 60 <= len(checklist.items()) <= 90
    assert sum(1 for i in checklist.items() if i.yes_means) >= 5
    assert sum(1 for i in checklist.items() if i.age_range) >= 10
    assert {f.id for f in checklist.free_text} == {"strengths", "child_voice", "carer_view"}
    scale = checklist.scales["ybn"]
    assert [o.label for o in scale.options] == ["Yes", "Borderline", "No", "Not known", "N/A"]
    assert [o.key for o in scale.options] == ["1", "2", "3", "4", "5"]
    assert scale.option("not_known").missing is MissingKind.NOT_KNOWN
    assert checklist.profile.concern_weights == {"yes": 0, "borderline": 1, "no": 2}
    graded = get_form("care-profile-graded")
    assert len(graded.scales["grade"].rating_options) == 5
    assert all(o.descriptor for o in graded.scales["grade"].rating_options)
    home = get_form("home-conditions")
    assert [o.code for o in home.scales["home03"].rating_options] == ["c0", "c1", "c2", "c3"]


def test_every_item_knows_its_form_section_and_scale() -> None:
    for form in builtin_forms().values():
        for item in form.items():
            assert form.section_of(item.id).items
            assert form.scale_for(item).options


def test_published_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json.loads(schema_path().read_text(encoding="utf-8")))


def test_get_form_by_version_and_unknown_form() -> None:
    assert get_form(CHECKLIST, 1).version == 1
    with pytest.raises(KeyError):
        get_form("no-such-form")
    with pytest.raises(KeyError):
        get_form(CHECKLIST, 99)


def _edit(path: str, value: Any) -> str:
    """MINIMAL with one value replaced (path like 'sections.0.items.1.text'), as TOML text."""
    data = tomllib.loads(MINIMAL)
    node: Any = data
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    for key in keys[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return _to_toml(data)


_DELETE = object()


def _to_toml(data: Any) -> str:
    """A tiny TOML writer for test documents (inline tables keep it simple)."""
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v)
        if isinstance(v, str):
            return json.dumps(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{json.dumps(k)} = {value(x)}" for k, x in v.items()) + " }"
        raise TypeError(type(v))
    return "\n".join(f"{json.dumps(k)} = {value(v)}" for k, v in data.items()) + "\n"


MALFORMED: list[tuple[str, str, str]] = [
    # (name, TOML text, expected fragment of the message, which names the place)
    ("duplicate section id", MINIMAL + '\n[[sections]]\nid = "one"\ntitle = "Again"\nscale = "ybn"\n'
     'items = [{ id = "c", text = "x" }]\n', "sections[one]: duplicate section id"),
    ("duplicate item id across sections", MINIMAL + '\n[[sections]]\nid = "two"\ntitle = "Two"\nscale = "ybn"\n'
     'items = [{ id = "a", text = "again" }]\n', "items[a]: duplicate item id"),
    ("duplicate option code", _edit("scales.0.options.1.code", "yes"), "options[yes]: duplicate option code"),
    ("duplicate key", _edit("scales.0.options.1.key", "1"), "key '1' is used by more than one option"),
    ("unknown scale", _edit("sections.0.scale", "grade"), "items[a].scale: unknown scale 'grade'"),
    ("missing wording", _edit("sections.0.items.0.text", _DELETE), "items[a]: missing 'text'"),
    ("blank wording", _edit("sections.0.items.0.text", "   "), "items[a].text: must not be blank"),
    ("version as text", _edit("version", "1"), "version: '1' is not of type 'integer'"),
    ("months as text", _edit("sections.0.items.1.min_months", "six"), "items[b].min_months: 'six' is not of type"),
    ("unknown key", _edit("sections.0.items.0.colour", "red"), "items[a]: unknown key(s): 'colour'"),
    ("age band reversed", _edit("sections.0.items.1.min_months", 60), "max_months (60) must be greater"),
    ("negative months", _edit("sections.0.items.1.min_months", -3), "items[b].min_months: -3 is less than"),
    ("unknown condition", _edit("sections.0.items.0.condition", "rich"), "unknown condition 'rich'"),
    ("weight on a missing option", _edit("profile.concern_weights", {"yes": 0, "not_known": 1}),
     "concern_weights.not_known: Not known / N/A options never carry"),
    ("weight on an unknown option", _edit("profile.concern_weights", {"maybe": 1}),
     "concern_weights.maybe: no scale has a rating option 'maybe'"),
    ("two not-known options", _edit("scales.0.options.1.missing", "not_known"),
     "more than one option is marked missing"),
    ("unknown agency", _edit("sections.0.items.0.agencies", ["health", "wizards"]), "agencies[1]"),
    ("bad id pattern", _edit("sections.0.items.0.id", "Item A!"), "is not a valid id"),
    ("version zero", _edit("version", 0), "version: 0 is less than the minimum of 1"),
    ("one rating option", _edit("scales.0.options", [{"code": "yes", "label": "Yes", "key": "1"},
                                                   {"code": "nk", "label": "NK", "key": "2", "missing": "not_known"}]),
     "at least two rating options"),
    ("key of two characters", _edit("scales.0.options.0.key", "12"), "options[yes].key"),
    ("no sections", _edit("sections", []), "sections: [] should be non-empty"),
    ("missing title", _edit("title", _DELETE), "(top level): missing 'title'"),
    ("unknown scale kind", _edit("scales.0.kind", "fuzzy"), "scales[ybn].kind: 'fuzzy' is not one of"),
    ("syntax error", MINIMAL.replace('title = "Mini form"', 'title = "Mini form'), "not valid TOML"),
    ("empty file", "   \n", "the file is empty"),
    ("deep nesting", "x = " + "[" * 200 + "]" * 200, "nesting is deeper"),
    ("moderately deep nesting", "x = " + "[" * 30 + "1" + "]" * 30, "nesting is deeper"),
    ("condition on unknown item scale", _edit("sections.0.scale", _DELETE), "no scale: give the item or its section"),
]


@pytest.mark.parametrize(("name", "text", "expected"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_form_is_refused_with_place_and_reason(name: str, text: str, expected: str) -> None:
    with pytest.raises(FormError) as info:
        load_form_text(text, source="bad.toml")
    message = str(info.value)
    assert expected in message, message
    assert message.startswith("bad.toml"), message
    assert all(p.location.startswith("bad.toml") for p in info.value.problems)


def test_at_least_25_malformed_forms() -> None:
    assert len(MALFORMED) >= 25


def test_minimal_form_is_valid() -> None:
    form = load_form_text(MINIMAL)
    assert form.item("b").age_range is not None


def test_file_level_problems(tmp_path: Path) -> None:
    huge = tmp_path / "huge.toml"
    huge.write_text(MINIMAL + "# " + "x" * MAX_FILE_BYTES)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(MINIMAL.replace("Mini form", "Mini f\xf6rm").encode("latin-1"))
    cases = {
        huge: "too large",
        latin: "not UTF-8",
        tmp_path: "is a folder",
        tmp_path / "missing.toml": "file not found",
    }
    for path, expected in cases.items():
        with pytest.raises(FormError, match=expected):
            load_form(path)


def test_too_many_items() -> None:
    def items(k: int) -> str:
        return ", ".join(f'{{ id = "s{k}i{n}", text = "Item {n}" }}' for n in range(200))
    sections = "".join(f'\n[[sections]]\nid = "s{k}"\ntitle = "S"\nscale = "ybn"\nitems = [{items(k)}]\n'
                       for k in range(3))
    text = MINIMAL.split("[[sections]]")[0] + sections
    with pytest.raises(FormError, match="too many items"):
        load_form_text(text, source="many.toml")


def _mutations() -> st.SearchStrategy[Any]:
    junk = st.one_of(st.none(), st.integers(-10**12, 10**12), st.text(max_size=30), st.booleans(),
                     st.lists(st.integers(), max_size=3),
                     st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
    return st.tuples(st.sampled_from(["delete", "retype", "insert"]), st.integers(0, 10_000), junk)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_mutations(), min_size=1, max_size=4))
def test_random_mutations_only_ever_raise_form_error(mutations: list[tuple[str, int, Any]]) -> None:
    data: Any = tomllib.loads(MINIMAL)
    for op, pick, junk in mutations:
        paths = _paths(data)
        if not paths:
            break
        path = paths[pick % len(paths)]
        parent: Any = data
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        if op == "delete":
            del parent[last]
        elif op == "retype":
            parent[last] = junk
        elif isinstance(parent, dict):
            parent[f"junk{pick}"] = junk
        else:
            parent.insert(pick % (len(parent) + 1), junk)
    try:
        form = build_form(data, source="mutant.toml")
    except FormError as exc:
        assert exc.problems and all(p.location.startswith("mutant.toml") for p in exc.problems)
    else:
        assert form.sections  # a harmless mutation (e.g. a changed label) still gives a usable form


# --- CLI ---------------------------------------------------------------------------------------------

def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    forms_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_cli_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["forms", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {f["id"] for f in listed} >= {CHECKLIST} and all(f["items"] > 0 for f in listed)
    assert _run(["forms", "show", CHECKLIST]) == 0
    out = capsys.readouterr().out
    assert "Yes = no hoarding or hiding of food seen" in out and "under 12 months" in out
    assert _run(["forms", "show", CHECKLIST, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["sections"]) == 9


def test_cli_validate_reports_each_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(_edit("sections.0.scale", "grade"))
    good = forms_dir() / f"{CHECKLIST}.toml"
    assert _run(["forms", "validate", str(good)]) == 0
    assert _run(["forms", "validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "OK" in out and "INVALID" in out and "unknown scale 'grade'" in out
    assert _run(["forms", "validate", "--json", str(bad)]) == 1
    assert json.loads(capsys.readouterr().out)[0]["ok"] is False
