"""``neglect-tool forms list|show|validate``, run in-process through argparse and register()."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from neglect_tool.cli import forms_cmd, run_cli
from neglect_tool.forms import FormError, FormProblem
from neglect_tool.resources import DataFileMissing, forms_dir

from .test_forms_malformed import VALID, edit

CHECKLIST = "childcare-development-checklist"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neglect-tool")
    forms_cmd.register(parser.add_subparsers(dest="command", required=True))
    return parser


def _run(*argv: str) -> int:
    args = _parser().parse_args(list(argv))
    return int(args.func(args))


Capture = pytest.CaptureFixture[str]


def _one_line_error(capsys: Capture) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("neglect-tool: ") and "Traceback" not in captured.err
    return lines[0]


# --- list -------------------------------------------------------------------------------------------------


def test_list_as_a_table(capsys: Capture) -> None:
    assert _run("forms", "list") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["Id", "Version", "Title", "Sections", "Items"]
    rows = {line.split()[0]: line.split() for line in out[2:]}
    assert set(rows) == {CHECKLIST, "care-profile-graded", "home-conditions"}
    assert rows[CHECKLIST][1] == "1" and rows[CHECKLIST][-2] == "9"


def test_list_as_json(capsys: Capture) -> None:
    assert _run("forms", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [f["id"] for f in listed] == ["care-profile-graded", CHECKLIST, "home-conditions"]
    checklist = listed[1]
    assert checklist["version"] == 1 and checklist["title"] == "Childcare and Development Checklist"
    assert checklist["sections"] == 9 and 60 <= checklist["items"] <= 90


def test_list_with_a_broken_installation(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise FormError([FormProblem("x.toml: version", "must be at least 1"), FormProblem("x.toml", "two")])

    monkeypatch.setattr(forms_cmd, "builtin_forms", broken)
    assert _run("forms", "list") == 1
    line = _one_line_error(capsys)
    assert "x.toml: version: must be at least 1" in line and "1 more problem" in line


# --- show -------------------------------------------------------------------------------------------------


def test_show_outline(capsys: Capture) -> None:
    assert _run("forms", "show", CHECKLIST) == 0
    out = capsys.readouterr().out
    assert out.startswith("Childcare and Development Checklist  (childcare-development-checklist, version 1;")
    assert "ybn (ordinal): [1] Yes (yes); [2] Borderline (borderline); [3] No (no); " in out
    assert "[feeding] Feeding and nutrition  (scale ybn)" in out
    assert "[carers] Carers' circumstances (context)  (scale ybn; context only)" in out
    assert "  feed_no_hoarding: There is no sign that the child hoards, hides or takes food." in out
    assert "Yes = no hoarding or hiding of food seen" in out
    assert "under 12 months" in out and "5 years to under 18 years" in out
    assert "only if chronic_condition" in out and "only if disability_or_delay" in out
    assert "Free text:" in out and "child_voice: The child's voice: what the child says and shows" in out


def test_show_marks_items_worded_as_concerns_and_per_item_scales(tmp_path: Path, capsys: Capture) -> None:
    path = tmp_path / "mini.toml"
    path.write_text(VALID, encoding="utf-8")
    assert _run("forms", "show", str(path)) == 0
    out = capsys.readouterr().out
    assert "  c: Worded as a concern" in out and "worded as a concern" in out
    assert "scale who" in out  # section two mixes scales, so each item names its own


def test_show_as_json(capsys: Capture) -> None:
    assert _run("forms", "show", CHECKLIST, "--version", "1", "--json") == 0
    outline = json.loads(capsys.readouterr().out)
    assert outline["id"] == CHECKLIST and outline["version"] == 1
    assert len(outline["sections"]) == 9
    items = {i["id"]: i for s in outline["sections"] for i in s["items"]}
    assert items["feed_infant_prepared"]["ages"] == "under 12 months"
    assert items["feed_infant_prepared"]["max_months"] == 12
    assert items["feed_no_hoarding"]["yes_means"] == "Yes = no hoarding or hiding of food seen"
    assert items["feed_no_hoarding"]["polarity"] == "met" and items["feed_no_hoarding"]["scale"] == "ybn"
    assert outline["scales"][0]["options"][3]["missing"] == "not_known"


def test_show_unknown_form_or_version_is_a_usage_error(capsys: Capture) -> None:
    assert _run("forms", "show", "no-such-form") == 2
    assert "no form 'no-such-form' is installed (installed: care-profile-graded" in _one_line_error(capsys)
    assert _run("forms", "show", CHECKLIST, "--version", "7") == 2
    assert "has no version 7" in _one_line_error(capsys)


def test_show_a_form_file(tmp_path: Path, capsys: Capture) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(edit("sections.0.scale", "grade"), encoding="utf-8")
    assert _run("forms", "show", str(bad)) == 1
    line = _one_line_error(capsys)
    assert "bad.toml: sections[one].scale: unknown scale 'grade'" in line and "forms validate" in line
    assert _run("forms", "show", str(bad), "--version", "1") == 2
    assert "--version applies to installed forms" in _one_line_error(capsys)
    assert _run("forms", "show", str(tmp_path / "missing.toml")) == 1
    assert "missing.toml: file not found" in _one_line_error(capsys)


def test_show_version_must_be_a_positive_number(capsys: Capture) -> None:
    for bad in ("0", "two"):
        with pytest.raises(SystemExit) as info:
            _parser().parse_args(["forms", "show", CHECKLIST, "--version", bad])
        assert info.value.code == 2
    assert "--version" in capsys.readouterr().err


# --- validate ---------------------------------------------------------------------------------------------


def test_validate_good_files(capsys: Capture) -> None:
    paths = [str(p) for p in sorted(forms_dir().glob("*.toml"))]
    assert _run("forms", "validate", *paths) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and all(line.startswith("OK       ") for line in lines)
    assert f"({CHECKLIST}, version 1)" in lines[1]


def test_validate_reports_each_file_and_every_problem(tmp_path: Path, capsys: Capture) -> None:
    good = forms_dir() / f"{CHECKLIST}.toml"
    bad = tmp_path / "bad.toml"
    data = edit("version", 0).replace('"scale" = "ybn"', '"scale" = "ybn", "colour" = "red"', 1)
    bad.write_text(data, encoding="utf-8")
    assert _run("forms", "validate", str(good), str(bad), str(tmp_path), str(tmp_path / "none.toml")) == 1
    out = capsys.readouterr().out
    assert f"OK       {good}" in out
    assert f"INVALID  {bad}  (2 problems)" in out
    assert "  - bad.toml: version: must be at least 1 (found 0)" in out
    assert "  - bad.toml: sections[one]: unknown key 'colour'" in out
    assert f"INVALID  {tmp_path}  (1 problem)" in out and "is a folder, not a form file" in out
    assert "  - none.toml: file not found" in out


def test_validate_as_json(tmp_path: Path, capsys: Capture) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"id = \"x\"\ntitle = \"\xff\"\n")
    good = forms_dir() / "home-conditions.toml"
    assert _run("forms", "validate", "--json", str(good), str(bad)) == 1
    results = json.loads(capsys.readouterr().out)
    assert results[0] == {"path": str(good), "ok": True, "form": {"id": "home-conditions", "version": 1},
                          "problems": []}
    assert results[1]["ok"] is False and results[1]["form"] is None
    assert results[1]["problems"] == [{"location": "bad.toml", "message": "is not UTF-8 text: byte 0xff at "
                                       "line 2, column 10 cannot be read; save the file as UTF-8"}]


def test_validate_needs_a_path(capsys: Capture) -> None:
    with pytest.raises(SystemExit) as info:
        _parser().parse_args(["forms", "validate"])
    assert info.value.code == 2
    capsys.readouterr()


def test_forms_through_the_real_command_line(capsys: Capture) -> None:
    assert run_cli(["forms", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert run_cli(["forms", "show", "nope"]) == 2
    assert _one_line_error(capsys).startswith("neglect-tool: no form 'nope'")


def test_validate_without_the_schema_is_one_line(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(_path: Path) -> None:
        raise DataFileMissing("the form schema (forms/schema/form.schema.json) is missing; reinstall the app")

    monkeypatch.setattr(forms_cmd, "load_form", missing)
    assert _run("forms", "validate", "any.toml") == 1
    assert "form schema" in _one_line_error(capsys)
