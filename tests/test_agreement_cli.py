"""The ``agreement`` CLI subcommand, called in-process through argparse."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from neglect_tool.cli import agreement_cmd
from neglect_tool.scoring.agreement import gwet_ac, krippendorff_alpha

# Krippendorff (2011) reliability data, 12 units x 4 observers, one row per item.
KRIPPENDORFF_CSV = """item,A,B,C,D
u1,1,1,,1
u2,2,2,3,2
u3,3,3,3,3
u4,3,3,3,3
u5,2,2,2,2
u6,1,2,3,4
u7,4,4,4,4
u8,1,1,2,1
u9,2,2,2,2
u10,,5,5,5
u11,,,1,1
u12,,3,,
"""
KRIPPENDORFF_UNITS = [
    [1, 1, None, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [None, 5, 5, 5],
    [None, None, 1, 1],
    [None, 3, None, None],
]


@pytest.fixture
def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="neglect-tool")
    subparsers = main.add_subparsers(dest="command", required=True)
    agreement_cmd.register(subparsers)
    return main


def _run(parser: argparse.ArgumentParser, *argv: str) -> int:
    args = parser.parse_args(["agreement", *argv])
    assert args.func is agreement_cmd.run
    result = args.func(args)
    assert isinstance(result, int)
    return result


def _write(tmp_path: Path, text: str, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("neglect-tool agreement: error:")
    return lines[0]


def test_table_output(
    parser: argparse.ArgumentParser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, KRIPPENDORFF_CSV)
    assert _run(parser, str(path)) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "12 items (11 answered by two or more raters), 4 raters, nominal level" in out
    alpha_line = next(line for line in out.splitlines() if line.startswith("Krippendorff's alpha"))
    assert "0.743" in alpha_line and "tentative conclusions only" in alpha_line
    assert alpha_line.split()[-2:] == ["11", "4"]
    ac1_line = next(line for line in out.splitlines() if line.startswith("Gwet's AC1"))
    assert f"{gwet_ac(KRIPPENDORFF_UNITS):.3f}" in ac1_line and "substantial agreement" in ac1_line
    assert "Fleiss' kappa" in out and "n/a" in out and "same number of answers" in out
    assert "Read: Krippendorff's alpha (nominal)" in out
    assert "Caution" not in out


def test_json_output(
    parser: argparse.ArgumentParser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, KRIPPENDORFF_CSV)
    assert _run(parser, str(path), "--level", "ordinal", "--json") == 0
    out, err = capsys.readouterr()
    assert err == ""
    data = json.loads(out)
    assert (data["n_units"], data["n_units_used"], data["n_raters"]) == (12, 11, 4)
    assert data["level"] == "ordinal"
    assert data["categories"] == [1, 2, 3, 4, 5]
    figures = data["figures"]
    assert figures["alpha"]["value"] == pytest.approx(krippendorff_alpha(KRIPPENDORFF_UNITS, "ordinal"))
    assert figures["ac2"]["value"] == pytest.approx(gwet_ac(KRIPPENDORFF_UNITS, "quadratic"))
    assert figures["kappa"]["value"] is None and figures["kappa"]["reason"]
    assert data["recommended"] == "alpha"
    assert data["caution"] is None


def test_no_label_column_and_bom(
    parser: argparse.ArgumentParser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes("\ufeffnurse,teacher\r\nyes,yes\r\nyes,no\r\n\r\nno,no\r\nno,\r\n".encode())
    assert _run(parser, str(path), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["n_units"], data["n_raters"], data["n_units_used"]) == (4, 2, 3)
    assert data["figures"]["kappa"]["name"] == "Cohen's kappa"
    assert data["figures"]["percent_agreement"]["value"] == pytest.approx(2 / 3)


def test_empty_first_header_cell_is_item_labels(
    parser: argparse.ArgumentParser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, ",A,B,C\nfood,1,1,1\nwarmth,2,2,1\nschool,1,1,1\n")
    assert _run(parser, str(path), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n_raters"] == 3
    assert data["figures"]["kappa"]["name"] == "Fleiss' kappa"
    assert data["figures"]["kappa"]["value"] is not None


def test_categories_give_text_order(
    parser: argparse.ArgumentParser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "item,A,B\n" + "".join(
        f"i{n},{a},{b}\n"
        for n, (a, b) in enumerate(
            [("low", "low"), ("mid", "high"), ("high", "high"), ("low", "mid"), ("mid", "mid")]
        )
    )
    path = _write(tmp_path, text)
    assert _run(parser, str(path), "--level", "ordinal", "--categories", "low, mid ,high", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["categories"] == ["low", "mid", "high"]
    units = [["low", "low"], ["mid", "high"], ["high", "high"], ["low", "mid"], ["mid", "mid"]]
    expected = krippendorff_alpha(units, "ordinal", ["low", "mid", "high"])
    assert data["figures"]["alpha"]["value"] == pytest.approx(expected)
    # Without the order, ordinal text answers are refused rather than sorted alphabetically.
    assert _run(parser, str(path), "--level", "ordinal") == 2
    assert "--categories" in _one_error_line(capsys.readouterr().err)


def test_numeric_categories_option(
    parser: argparse.ArgumentParser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "item,A,B\na,1,1\nb,2,2\nc,1,2\n")
    assert _run(parser, str(path), "--categories", "1,2,3", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["categories"] == [1, 2, 3]


def test_prevalence_caution_printed(
    parser: argparse.ArgumentParser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ["no,no"] * 18 + ["yes,no", "no,yes"]
    path = _write(tmp_path, "A,B\n" + "\n".join(rows) + "\n")
    assert _run(parser, str(path)) == 0
    out = capsys.readouterr().out
    assert "Caution: Raw agreement is high (90%)" in out
    assert "Read: Gwet's AC1" in out
    assert _run(parser, str(path), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert "prevalence paradox" in data["caution"]
    assert data["recommended"] == "ac1"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ("item,A,B\n", "no items"),
        ("item\nq1\n", "no raters"),
        ("item,A,B\nq1,yes,no\nq2,yes\n", "line 3"),
        ("item,A,B\nq1,yes,no,no\n", "expected 3 cells"),
        ('item,A,B\nq1,"yes,no\n', "not valid CSV"),
        ("item,A,B\nq1,yes,\nq2,,no\n", "no agreement figure"),
        ("item,A\nq1,yes\nq2,no\n", "no agreement figure"),
    ],
)
def test_bad_files(
    parser: argparse.ArgumentParser,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    expected: str,
) -> None:
    path = _write(tmp_path, content)
    assert _run(parser, str(path)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert expected in _one_error_line(err)


def test_bad_options_and_values(
    parser: argparse.ArgumentParser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "item,A,B\nq1,yes,no\nq2,maybe,yes\n")
    assert _run(parser, str(path), "--categories", "yes,no") == 2
    assert "'maybe'" in _one_error_line(capsys.readouterr().err)
    assert _run(parser, str(path), "--categories", "yes,,no") == 2
    assert "empty entries" in _one_error_line(capsys.readouterr().err)
    assert _run(parser, str(path), "--level", "interval", "--categories", "no,maybe,yes") == 2
    assert "numeric" in _one_error_line(capsys.readouterr().err)
    assert _run(parser, str(path), "--level", "ratio") == 2
    assert "numeric" in _one_error_line(capsys.readouterr().err)
    with pytest.raises(SystemExit) as info:
        parser.parse_args(["agreement", str(path), "--level", "ranked"])
    assert info.value.code == 2
    capsys.readouterr()


def test_missing_file_directory_and_binary(
    parser: argparse.ArgumentParser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(parser, str(tmp_path / "absent.csv")) == 2
    assert "no such file" in _one_error_line(capsys.readouterr().err)
    assert _run(parser, str(tmp_path)) == 2
    assert "no such file" in _one_error_line(capsys.readouterr().err)
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("item,A,B\nq1,oui,non\xe9\n".encode("latin-1"))
    assert _run(parser, str(latin)) == 2
    assert "UTF-8" in _one_error_line(capsys.readouterr().err)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"item,A\x00,B\n")
    assert _run(parser, str(binary)) == 2
    assert "not a CSV" in _one_error_line(capsys.readouterr().err)


def test_size_and_row_limits(
    parser: argparse.ArgumentParser,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _write(tmp_path, KRIPPENDORFF_CSV)
    monkeypatch.setattr(agreement_cmd, "MAX_FILE_BYTES", 50)
    assert _run(parser, str(path)) == 2
    assert "too large" in _one_error_line(capsys.readouterr().err)
    monkeypatch.setattr(agreement_cmd, "MAX_FILE_BYTES", 5 * 1024 * 1024)
    monkeypatch.setattr(agreement_cmd, "MAX_ROWS", 5)
    assert _run(parser, str(path)) == 2
    assert "too many items" in _one_error_line(capsys.readouterr().err)
    monkeypatch.setattr(agreement_cmd, "MAX_RATERS", 3)
    assert _run(parser, str(path)) == 2
    assert "too many rater columns" in _one_error_line(capsys.readouterr().err)


def test_default_limits_are_sane() -> None:
    assert agreement_cmd.MAX_FILE_BYTES == 5 * 1024 * 1024
    assert 1_000 <= agreement_cmd.MAX_ROWS <= 100_000
