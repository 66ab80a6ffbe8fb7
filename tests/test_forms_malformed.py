"""Malformed form files are refused with a FormError naming the place and the problem, never a traceback.

VALID is a small form using every feature of the format; each case breaks one thing about it (or is a
broken file of its own) and checks that some problem names the expected place and says what is wrong.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import os
import pickle
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from neglect_tool.forms import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_ITEMS,
    FormError,
    FormProblem,
    Polarity,
    build_form,
    load_form,
    load_form_bytes,
    load_form_text,
)

VALID = """\
# A small form using every key of the format.
id = "mini"
version = 3
title = "Mini form"
attribution = "Written for the neglect_tool tests"
description = "Used by the form tests only."

[[scales]]
id = "ybn"
kind = "ordinal"
options = [
  { code = "yes", label = "Yes", key = "1", descriptor = "Need met" },
  { code = "borderline", label = "Borderline", key = "2" },
  { code = "no", label = "No", key = "3" },
  { code = "not_known", label = "Not known", key = "4", missing = "not_known" },
  { code = "na", label = "N/A", key = "5", missing = "not_applicable" },
]

[[scales]]
id = "who"
kind = "nominal"
options = [
  { code = "mother", label = "Mother", key = "m" },
  { code = "father", label = "Father", key = "f" },
  { code = "unknown", label = "Not known", key = "n", missing = "not_known" },
]

[[conditions]]
id = "chronic_condition"
label = "A long-term health condition"

[profile]
label = "Concern index (a visual aid, not a score)"
concern_weights = { yes = 0, borderline = 1, no = 2 }

[disagreement]
min_steps = 2
flag_information_difference = false

[[free_text]]
id = "strengths"
title = "Strengths"
guidance = "What is going well."
max_chars = 5000

[[sections]]
id = "one"
title = "Section one"
guidance = "Guidance for section one [with brackets] {and braces}."
scale = "ybn"

[[sections.items]]
id = "a"
text = "First statement"
guidance = "Some guidance"
prompts = ["A prompt?", "Another prompt?"]
agencies = ["health", "education"]

[[sections.items]]
id = "b"
text = "There is no sign of the thing"
yes_means = "Yes = no sign of it"
min_months = 0
max_months = 60

[[sections.items]]
id = "c"
text = "Worded as a concern"
polarity = "concern"
condition = "chronic_condition"
min_months = 144

[[sections]]
id = "two"
title = "Section two"
context_only = true

[[sections.items]]
id = "d"
text = "Who mostly cares for the child"
scale = "who"

[[sections.items]]
id = "e"
text = "Carer statement"
scale = "ybn"
"""


# --- helpers: edit VALID as data and write it back as TOML ---------------------------------------------

DELETE = object()


def _toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        elif 0xD800 <= ord(ch) <= 0xDFFF:  # lone surrogates cannot be written
            out.append("?")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_string(str(k))} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def to_toml(data: dict[str, Any]) -> str:
    """A document as TOML, one top-level key per line (inline tables and arrays below that)."""
    return "".join(f"{_toml_string(k)} = {toml_value(v)}\n" for k, v in data.items())


def valid_data() -> dict[str, Any]:
    return tomllib.loads(VALID)


def edit(path: str, value: Any) -> str:
    """VALID with the value at `path` ("sections.0.items.1.text") replaced, or deleted with DELETE."""
    data: Any = valid_data()
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
    node = data
    for key in keys[:-1]:
        node = node[key]
    if value is DELETE:
        del node[keys[-1]]
    else:
        node[keys[-1]] = copy.deepcopy(value)
    return to_toml(data)


def change(func: Callable[[dict[str, Any]], None]) -> str:
    data = valid_data()
    func(data)
    return to_toml(data)


def _add_section(data: dict[str, Any], section: dict[str, Any]) -> None:
    data["sections"].append(section)


def _options(*codes: str, missing: dict[str, str] | None = None) -> list[dict[str, str]]:
    missing = missing or {}
    out = []
    for n, code in enumerate(codes, start=1):
        option = {"code": code, "label": code.title(), "key": str(n)}
        if code in missing:
            option["missing"] = missing[code]
        out.append(option)
    return out


# --- the cases ------------------------------------------------------------------------------------------

ITEM_A = "sections[one].items[a]"
ITEM_B = "sections[one].items[b]"

# (name, TOML text, expected place (end of the location), expected fragment of the message)
CASES: list[tuple[str, str, str, str]] = [
    ("duplicate section id",
     change(lambda d: _add_section(d, {"id": "one", "title": "Again", "scale": "ybn",
                                       "items": [{"id": "z", "text": "x"}]})),
     "sections[one]", "section id 'one' is used by more than one section"),
    ("duplicate item id across sections",
     change(lambda d: _add_section(d, {"id": "three", "title": "Three", "scale": "ybn",
                                       "items": [{"id": "a", "text": "again"}]})),
     "sections[three].items[a]", "item id 'a' is already used in sections[one]"),
    ("duplicate option code", edit("scales.0.options.1.code", "yes"),
     "scales[ybn].options[yes]", "option code 'yes' is used twice"),
    ("duplicate key", edit("scales.0.options.1.key", "1"),
     "scales[ybn].options[borderline].key", "key '1' is also used by option 'yes'"),
    ("duplicate scale id", edit("scales.1.id", "ybn"),
     "scales[ybn]", "scale id 'ybn' is used by more than one"),
    ("unknown item scale", edit("sections.1.items.1.scale", "grade"),
     "sections[two].items[e].scale", "unknown scale 'grade' (scales defined: ybn, who)"),
    ("unknown section scale", edit("sections.0.scale", "grade"),
     "sections[one].scale", "unknown scale 'grade'"),
    ("item with no scale", edit("sections.1.items.1.scale", DELETE),
     "sections[two].items[e]", "has no scale"),
    ("missing wording", edit("sections.0.items.0.text", DELETE), ITEM_A, "missing required key 'text'"),
    ("empty text", edit("sections.0.items.0.text", ""), f"{ITEM_A}.text", "must not be empty"),
    ("blank text", edit("sections.0.items.0.text", "   \t"), f"{ITEM_A}.text", "must not be blank"),
    ("text too long", edit("sections.0.items.0.text", "x" * 501), f"{ITEM_A}.text",
     "is too long (501 characters; at most 500)"),
    ("version as text", edit("version", "1"), "version", "must be a whole number, not text ('1')"),
    ("version zero", edit("version", 0), "version", "must be at least 1 (found 0)"),
    ("version as a float", edit("version", 1.5), "version", "must be a whole number, not a number"),
    ("months as text", edit("sections.0.items.1.min_months", "six"), f"{ITEM_B}.min_months",
     "must be a whole number, not text ('six')"),
    ("months as true", edit("sections.0.items.1.min_months", True), f"{ITEM_B}.min_months",
     "must be a whole number, not true/false"),
    ("negative months", edit("sections.0.items.1.min_months", -3), f"{ITEM_B}.min_months",
     "must be at least 0 (found -3)"),
    ("age band reversed", edit("sections.0.items.1.min_months", 60), f"{ITEM_B}.max_months",
     "max_months (60) must be greater than min_months (60)"),
    ("unknown item key, with a hint", edit("sections.0.items.1.min_month", 6), ITEM_B,
     "unknown key 'min_month' (did you mean 'min_months'?)"),
    ("unknown top-level key", edit("colour", "red"), "", "unknown key 'colour'"),
    ("unknown option key", edit("scales.0.options.0.score", 1),
     "scales[ybn].options[yes]", "unknown key 'score'"),
    ("unknown condition", edit("sections.0.items.0.condition", "rich"), f"{ITEM_A}.condition",
     "unknown condition 'rich': declare it under [[conditions]]"),
    ("duplicate condition",
     change(lambda d: d["conditions"].append({"id": "chronic_condition", "label": "x"})),
     "conditions[chronic_condition]", "declared more than once"),
    ("concern weight on a missing option", edit("profile.concern_weights.not_known", 1),
     "profile.concern_weights.not_known", "never carry a concern weight"),
    ("concern weight on an unknown option", edit("profile.concern_weights.maybe", 1),
     "profile.concern_weights.maybe", "'maybe' is not a rating option of any scale"),
    ("concern weight missing for an option", edit("profile.concern_weights", {"yes": 0, "no": 2}),
     "profile.concern_weights", "no weight for rating option(s) 'borderline' of scale 'ybn'"),
    ("concern weights falling", edit("profile.concern_weights", {"yes": 2, "borderline": 1, "no": 0}),
     "profile.concern_weights", "weights must not fall from the best rating to the worst"),
    ("concern weight not a number", edit("profile.concern_weights.no", "two"),
     "profile.concern_weights.no", "must be a number, not text"),
    ("concern weight nan", edit("profile.concern_weights.no", math.nan),
     "profile.concern_weights.no", "must be a finite number"),
    ("concern index not called a visual aid", edit("profile.label", "Neglect score"),
     "profile.label", "must be labelled as a visual aid"),
    ("two not_known options", edit("scales.0.options.4.missing", "not_known"),
     "scales[ybn].options[na].missing", "only one option per scale may be missing = 'not_known'"),
    ("unknown missing kind", edit("scales.0.options.4.missing", "skipped"),
     "scales[ybn].options[na].missing",
     "'skipped' is not allowed here; use one of: not_known, not_applicable"),
    ("one rating option", edit("scales.0.options", _options("yes", "nk", missing={"nk": "not_known"})),
     "scales[ybn].options", "at least two rating options"),
    ("missing option before a rating", edit("scales.0.options",
                                            _options("nk", "yes", "no", missing={"nk": "not_known"})),
     "scales[ybn].options[yes]", "Not known and N/A go after them"),
    ("key of two characters", edit("scales.0.options.0.key", "12"), "scales[ybn].options[yes].key",
     "is too long (2 characters; at most 1)"),
    ("key not a digit or letter", edit("scales.0.options.0.key", "!"), "scales[ybn].options[yes].key",
     "is not a valid key"),
    ("unknown agency", edit("sections.0.items.0.agencies", ["health", "wizards"]),
     f"{ITEM_A}.agencies[1]", "'wizards' is not allowed here; use one of: social_care"),
    ("repeated agency", edit("sections.0.items.0.agencies", ["health", "health"]),
     f"{ITEM_A}.agencies", "lists 'health' more than once"),
    ("bad item id", edit("sections.0.items.0.id", "Item A!"), "sections[one].items[0].id",
     "'Item A!' is not a valid id"),
    ("bad section id", edit("sections.0.id", "1st"), "sections[0].id", "'1st' is not a valid id"),
    ("id too long", edit("id", "m" * 65), "id", "is not a valid id"),
    ("unknown polarity", edit("sections.0.items.2.polarity", "negative"),
     "sections[one].items[c].polarity", "use one of: met, concern"),
    ("unknown scale kind", edit("scales.0.kind", "fuzzy"), "scales[ybn].kind", "'fuzzy' is not allowed here"),
    ("too many prompts", edit("sections.0.items.0.prompts", [f"p{n}" for n in range(11)]),
     f"{ITEM_A}.prompts", "has too many entries (11; at most 10)"),
    ("no sections", edit("sections", []), "sections", "must not be empty"),
    ("section without items", edit("sections.1.items", []), "sections[two].items", "must not be empty"),
    ("missing title", edit("title", DELETE), "", "missing required key 'title'"),
    ("title as a date", edit("title", dt.date(2024, 1, 31)), "title", "must be text, not a date or time"),
    ("sections as a table", edit("sections", {"id": "one"}), "sections", "must be a list, not a table"),
    ("unreachable disagreement", edit("disagreement.min_steps", 3), "disagreement.min_steps",
     "3 steps can never be reached"),
    ("duplicate free-text id", change(lambda d: d["free_text"].append({"id": "strengths", "title": "Again"})),
     "free_text[strengths]", "free-text id 'strengths' is used more than once"),
    ("TOML syntax error", VALID.replace('title = "Mini form"', 'title = "Mini form'), "",
     "TOML syntax error: Illegal character '\\n' (at line 4, column"),
    ("duplicate TOML key", VALID.replace('version = 3', 'version = 3\nversion = 4'), "",
     "TOML syntax error: Cannot overwrite a value (at line 4"),
    ("empty file", "", "", "the file is empty"),
    ("blank file", "  \n\n\t\n", "", "the file is empty"),
    ("only comments", "# nothing here\n# at all\n", "", "holds no form"),
    ("deeply nested arrays", "x = " + "[" * 5000 + "]" * 5000, "",
     f"nesting is deeper than {MAX_DEPTH} levels"),
    ("deeply nested tables", "x = " + "{ a = " * 3000 + "1" + " }" * 3000, "",
     f"nesting is deeper than {MAX_DEPTH} levels (line 1)"),
    ("just too deep", VALID + "\nx = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "",
     f"nesting is deeper than {MAX_DEPTH} levels (line 88)"),
    ("deep dotted keys", "a" + ".a" * 2000 + " = 1\n", "", f"nesting is deeper than {MAX_DEPTH} levels"),
    ("deep table header", "[a" + ".a" * 2000 + "]\nb = 1\n", "",
     f"nesting is deeper than {MAX_DEPTH} levels"),
    ("absurdly long number", "version = 1" + "0" * 5000 + "\n", "", "a number in the file is far too long"),
    ("invalid date", VALID.replace('version = 3', 'version = 2024-02-30'), "",
     "TOML syntax error: Invalid date or datetime"),
]


@pytest.mark.parametrize(("name", "text", "place", "message"), CASES, ids=[c[0] for c in CASES])
def test_malformed_form_is_refused_with_place_and_reason(
    name: str, text: str, place: str, message: str
) -> None:
    with pytest.raises(FormError) as info:
        load_form_text(text, source="bad.toml")
    problems = info.value.problems
    assert problems, name
    assert all(p.location == "bad.toml" or p.location.startswith("bad.toml: ") for p in problems)
    wanted = "bad.toml" + (f": {place}" if place else "")
    matching = [p for p in problems if p.location == wanted and message in p.message]
    assert matching, f"{name}: expected {wanted}: ...{message}... in:\n{info.value}"


def test_there_are_at_least_25_distinct_malformed_forms() -> None:
    assert len(CASES) >= 25
    assert len({c[0] for c in CASES}) == len(CASES)
    assert len({c[1] for c in CASES}) == len(CASES)


def test_valid_form_builds_every_feature() -> None:
    form = load_form_text(VALID, source="mini.toml")
    assert form.key == ("mini", 3)
    assert [s.id for s in form.sections] == ["one", "two"]
    assert [i.id for i in form.items()] == ["a", "b", "c", "d", "e"]
    a, b, c, d, e = form.items()
    assert a.prompts == ("A prompt?", "Another prompt?") and a.agencies == ("health", "education")
    assert a.age_range is None and a.scale_id == "ybn" and a.guidance == "Some guidance"
    assert b.yes_means == "Yes = no sign of it" and b.age_range is not None
    assert b.age_range.contains(59) and not b.age_range.contains(60)
    assert c.polarity is Polarity.CONCERN and c.condition == "chronic_condition"
    assert c.age_range is not None and c.age_range.max_months is None
    assert d.scale_id == "who" and e.scale_id == "ybn"
    assert form.sections[1].context_only and not form.sections[0].context_only
    assert form.scales["ybn"].option("na").missing is not None
    assert form.profile.concern_weights == {"yes": 0.0, "borderline": 1.0, "no": 2.0}
    assert form.disagreement.min_steps == 2 and form.disagreement.flag_information_difference is False
    assert form.free_text[0].max_chars == 5000
    assert [c.id for c in form.conditions] == ["chronic_condition"]


def test_the_test_writer_round_trips_the_valid_form() -> None:
    assert load_form_text(to_toml(valid_data())) == load_form_text(VALID)


def test_brackets_in_strings_and_comments_do_not_count_as_nesting() -> None:
    deep = "[" * 100 + "{" * 100
    text = VALID.replace('text = "First statement"', f'text = "First {deep}"') + f"# {deep}\n"
    text = text.replace('guidance = "Some guidance"', f"guidance = '''\n{deep}\n'''")
    form = load_form_text(text)
    assert form.item("a").text.endswith(deep)


def test_every_problem_is_reported_one_per_line() -> None:
    data = valid_data()
    data["version"] = "1"
    data["sections"][0]["items"][0]["text"] = ""
    data["sections"][0]["items"][1]["min_months"] = -1
    with pytest.raises(FormError) as info:
        load_form_text(to_toml(data), source="three.toml")
    lines = str(info.value).splitlines()
    assert len(lines) == len(info.value.problems) == 3
    assert lines == [str(p) for p in info.value.problems]
    assert all(line.startswith("three.toml: ") for line in lines)


def test_form_error_is_a_value_error_and_pickles() -> None:
    error = FormError([FormProblem("x.toml: id", "bad"), FormProblem("x.toml", "worse")])
    assert isinstance(error, ValueError)
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems and str(again) == "x.toml: id: bad\nx.toml: worse"


def test_semantic_checks_wait_for_a_sound_structure() -> None:
    # a structural problem stops the semantic checks, which rely on the structure
    text = edit("sections.0.items.0.text", 5).replace('"scale" = "ybn"', '"scale" = "grade"')
    with pytest.raises(FormError) as info:
        load_form_text(text)
    assert all("unknown scale" not in p.message for p in info.value.problems)


def test_build_form_refuses_a_non_table() -> None:
    values: list[object] = [None, [], "text", 3]
    for value in values:
        with pytest.raises(FormError, match="a form must be a table"):
            build_form(value, source="x")


def test_too_many_items_is_refused_before_the_schema() -> None:
    def section(k: int, n: int) -> dict[str, Any]:
        return {"id": f"s{k}", "title": "S", "scale": "ybn",
                "items": [{"id": f"s{k}i{i}", "text": "Item"} for i in range(n)]}

    data = valid_data()
    data["sections"] = [section(k, 167) for k in range(3)]  # 501 items
    with pytest.raises(FormError) as info:
        load_form_text(to_toml(data), source="many.toml")
    assert [str(p) for p in info.value.problems] == [
        f"many.toml: sections: too many items ({3 * 167}; at most {MAX_ITEMS} in a form)"
    ]
    data["sections"] = [section(k, 125) for k in range(4)]  # exactly 500 is allowed
    assert len(load_form_text(to_toml(data)).items()) == MAX_ITEMS


# --- whole files ----------------------------------------------------------------------------------------


def test_a_file_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.toml"
    huge.write_text(VALID + "# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    with pytest.raises(FormError) as info:
        load_form(huge)
    assert str(info.value).startswith("huge.toml: the file is too large (")
    with pytest.raises(FormError, match="too large"):
        load_form_bytes(huge.read_bytes(), "huge.toml")
    with pytest.raises(FormError, match="too large"):
        load_form_text("#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(FormError, match="too large"):  # under the limit in characters, over it in bytes
        load_form_text("# " + "é" * (MAX_FILE_BYTES // 2 + 1))


def test_non_utf8_bytes_are_refused_with_their_place(tmp_path: Path) -> None:
    latin = tmp_path / "latin.toml"
    latin.write_bytes(VALID.replace("Mini form", "Mini f\xf6rm").encode("latin-1"))
    with pytest.raises(FormError) as info:
        load_form(latin)
    assert str(info.value) == (
        "latin.toml: is not UTF-8 text: byte 0xf6 at line 4, column 16 cannot be read; save the file as UTF-8"
    )


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    marked = tmp_path / "bom.toml"
    marked.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert load_form(marked).id == "mini"


def test_a_folder_a_missing_file_and_a_device_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FormError, match=r"is a folder, not a form file"):
        load_form(tmp_path)
    with pytest.raises(FormError) as info:
        load_form(tmp_path / "missing.toml")
    assert str(info.value) == "missing.toml: file not found"
    (tmp_path / "plain").write_text("x")
    with pytest.raises(FormError, match="file not found"):
        load_form(tmp_path / "plain" / "below.toml")
    with pytest.raises(FormError, match="not a usable file name"):
        load_form("bad\0name.toml")
    if os.path.exists("/dev/zero"):
        with pytest.raises(FormError, match="is not a regular file"):
            load_form("/dev/zero")


def test_load_form_records_where_it_came_from(tmp_path: Path) -> None:
    path = tmp_path / "mini.toml"
    path.write_text(VALID, encoding="utf-8")
    form = load_form(str(path))
    assert form.source_path == str(path)
    assert load_form(path) == form


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret.toml"
    path.write_text(VALID, encoding="utf-8")
    path.chmod(0)
    with pytest.raises(FormError, match="permission denied"):
        load_form(path)


def test_problem_locations_for_edits_are_stable_json() -> None:
    """Locations and messages are plain text that survive a JSON round trip (the CLI's --json)."""
    with pytest.raises(FormError) as info:
        load_form_text(edit("sections.0.items.0.agencies", ["\x00odd\nagency"]), source="j.toml")
    problems = [{"location": p.location, "message": p.message} for p in info.value.problems]
    assert json.loads(json.dumps(problems)) == problems
    assert "\n" not in problems[0]["message"]
