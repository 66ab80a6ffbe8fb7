"""The printable summary end to end: a real encrypted demo store -> services.summary -> PDF, read back with
pdftotext, pypdf, pikepdf and qpdf. Marking and page numbers on every page, content, redaction, the DRAFT
watermark, encryption, atomic writing, and the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from neglect_tool.cli import run_cli
from neglect_tool.domain import Answer, Consensus, ConsensusItem, Family, RaterKind, RatingSheet, RoundPurpose
from neglect_tool.domain import AssessmentRound as Round
from neglect_tool.export import pdf_secure
from neglect_tool.export.summary_model import ConsensusState, SummaryData
from neglect_tool.export.summary_pdf import export_summary_pdf, render_summary_pdf
from neglect_tool.forms.loader import get_form
from neglect_tool.services.demo_data import build_demo
from neglect_tool.services.demo_store import write_demo
from neglect_tool.services.session import Session
from neglect_tool.services.summary import BlindScoring, NothingToSummarise, build_summary
from neglect_tool.storage.errors import NotFound
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE

FORM_ID = "childcare-development-checklist"
TODAY = dt.date(2026, 11, 1)
NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
FINAL_CASE, REDACT_CASE, DRAFT_CASE = "NB-2026-0212", "NB-2026-0147", "NB-2026-0388"
PDF_PASSWORD = "correct-pdf-password"
HEADINGS = ("Who contributed", "The parent's or carer's view", "Profile by section",
            "Agreement between professionals", "What the meeting agreed", "Evidence behind the disagreements",
            "Each professional's index by section", "Information gaps", "Strengths", "The child's voice",
            "Change over time",
            "Brothers and sisters side by side", "The plan", "Every answer, item by item", "Sign-off")
needs_poppler = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("qpdf")),
                                   reason="poppler-utils and qpdf are needed")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    data = build_demo(get_form(FORM_ID), today=TODAY)
    opened = Store.create(tmp_path_factory.mktemp("summary") / "demo.ntdb", PASSPHRASE, owner=data.owner,
                          kdf=FAST_TEST_KDF)
    write_demo(opened, data)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def final(store: Store) -> tuple[SummaryData, bytes]:
    data = build_summary(store, FINAL_CASE, now=NOW)
    return data, render_summary_pdf(data)


@pytest.fixture(scope="module")
def redacted(store: Store) -> tuple[SummaryData, bytes]:
    data = build_summary(store, REDACT_CASE, redact=True, now=NOW)
    return data, render_summary_pdf(data, charts=False)


def pages_text(pdf: bytes, password: str | None = None) -> list[str]:
    args = ["pdftotext", "-layout", *(["-upw", password] if password else []), "-", "-"]
    out = subprocess.run(args, input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def family_of(store: Store, case_ref: str) -> Family:
    return store.families.get_by_ref(case_ref)


@cache
def _dob_forms(day: dt.date) -> tuple[str, ...]:
    return (day.isoformat(), f"{day:%d %b %Y}", f"{day.day} {day:%b %Y}", f"{day:%d/%m/%Y}", f"{day:%d %B %Y}")


# --- the data ------------------------------------------------------------------------------------------


def test_summary_data_defaults_to_the_latest_round_with_an_agreed_view(store: Store) -> None:
    data = build_summary(store, FINAL_CASE, now=NOW)
    family = family_of(store, FINAL_CASE)
    rounds = [r for c in store.children.for_family(family.id) for r in store.rounds.for_child(c.id)
              if store.consensus.get_for_round(r.id) is not None]
    assert data.round.held_on == max(r.held_on for r in rounds)
    assert data.consensus.state is ConsensusState.FINAL and data.consensus.unresolved
    assert data.contributors and all(c.submitted_on for c in data.contributors)
    assert data.carers and data.carers[0].name.endswith("(father)")
    assert data.change is not None and data.trend is not None and len(data.trend.dates) == 3
    assert data.drift  # the drifting demo family: sections of concern unchanged with a plan running
    assert data.siblings is not None and len(data.siblings.columns) == 2
    assert data.document.document_id.startswith(f"NT-{FINAL_CASE}-") and data.document.version == "1"
    assert data.child.nhs_number and data.child.date_of_birth
    again = build_summary(store, FINAL_CASE, data.round.round_id, now=NOW)
    assert again.document.fingerprint == data.document.fingerprint  # same content, same fingerprint


def test_bad_requests_are_refused_clearly(store: Store) -> None:
    with pytest.raises(NotFound):
        build_summary(store, "NO-SUCH-CASE")
    other = family_of(store, REDACT_CASE)
    foreign = store.rounds.for_child(store.children.for_family(other.id)[0].id)[0]
    with pytest.raises(NothingToSummarise, match="does not belong"):
        build_summary(store, FINAL_CASE, foreign.id)


def test_redacted_data_has_initials_only(store: Store, redacted: tuple[SummaryData, bytes]) -> None:
    data, _ = redacted
    family = family_of(store, REDACT_CASE)
    assert data.child.date_of_birth is None and data.child.nhs_number is None
    assert re.fullmatch(r"[A-Z]\.[A-Z]\.", data.child.name)
    assert data.family == "A." and data.carers[0].name == "K.A. (mother)"
    assert data.comparison.carers[0].name == "K.A. (mother)"
    assert family.family_name not in repr(data)


# --- the PDF -------------------------------------------------------------------------------------------


@needs_poppler
def test_every_page_is_marked_and_numbered(final: tuple[SummaryData, bytes]) -> None:
    _, pdf = final
    pages = pages_text(pdf)
    assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages) >= 8
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, f"page {number} lacks the marking in header and footer"
        assert f"Page {number} of {len(pages)}" in page
        assert final[0].document.document_id in page and "version 1" in page
        assert "Produced by Morgan Ellery" in page


@needs_poppler
def test_content_headings_and_names(store: Store, final: tuple[SummaryData, bytes]) -> None:
    data, pdf = final
    text = " ".join(" ".join(pages_text(pdf)).split())
    for heading in HEADINGS:
        assert heading in text, heading
    child = next(c for c in store.children.for_family(family_of(store, FINAL_CASE).id)
                 if c.initials == "".join(w[0] + "." for w in data.child.name.split()))
    assert child.display_name in text and f"{child.date_of_birth.day} {child.date_of_birth:%b %Y}" in text
    assert data.child.nhs_number in text
    for contributor in data.contributors:
        assert contributor.name in text
    for unresolved in data.consensus.unresolved:
        assert unresolved.owner in text
    assert "Drift." in text and "Concern index (a visual aid, not a score)" in text
    assert "DRAFT" not in text  # the consensus is final: no watermark


def test_charts_are_vector_forms_or_print_resolution_rasters(final: tuple[SummaryData, bytes]) -> None:
    def xobjects(pdf: bytes) -> list[tuple[str, str, int]]:
        found = []
        with pikepdf.open(io.BytesIO(pdf)) as document:
            for page in document.pages:
                for name, obj in page.obj.get("/Resources", {}).get("/XObject", {}).items():
                    found.append((str(name), str(obj.Subtype), int(obj.get("/Width", 0))))
        return found

    vector = xobjects(final[1])
    assert sorted(name for name, _, _ in vector) == ["/NTChart1", "/NTChart2", "/NTChart3"]
    assert {subtype for _, subtype, _ in vector} == {"/Form"}
    raster = xobjects(render_summary_pdf(final[0], vector=False))
    assert len(raster) == 3 and {subtype for _, subtype, _ in raster} == {"/Image"}
    assert all(width >= 6 * 200 for _, _, width in raster)  # at least 200 dpi across a 6-inch figure


def test_metadata_never_names_the_child(store: Store, final: tuple[SummaryData, bytes]) -> None:
    _, pdf = final
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    values = " ".join(str(v) for v in meta.values())
    assert "OFFICIAL-SENSITIVE" in values and "NT-" in values
    for child in store.children.for_family(family_of(store, FINAL_CASE).id):
        assert child.given_names not in values and child.family_name not in values


@needs_poppler
def test_qpdf_finds_no_problem_and_poppler_renders(final: tuple[SummaryData, bytes], tmp_path: Path) -> None:
    path = tmp_path / "summary.pdf"
    path.write_bytes(final[1])
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(path), str(tmp_path / "p")],
                   check=True, capture_output=True)
    assert sorted(p.name for p in tmp_path.glob("p-*.png")) == ["p-01.png", "p-02.png"]


@needs_poppler
def test_redacted_pdf_leaves_out_names_dob_and_nhs_number(store: Store, redacted: tuple[SummaryData, bytes]) -> None:
    data, pdf = redacted
    text = " ".join(pages_text(pdf))
    flat = " ".join(text.split())
    family = family_of(store, REDACT_CASE)
    for child in store.children.for_family(family.id):
        for name in child.given_names.split():
            assert not re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE), name
        assert not any(form in flat for form in _dob_forms(child.date_of_birth))
        assert child.nhs_number and child.nhs_number not in text.replace(" ", "")
    assert not re.search(rf"\b{family.family_name}\b", text, re.IGNORECASE)
    assert "Kerry" not in text  # the carer
    assert data.child.name in flat and "Left out (redacted copy)" in flat
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None and family.family_name not in " ".join(str(v) for v in meta.values())


def test_draft_watermark_iff_the_agreed_view_is_not_final(store: Store, final: tuple[SummaryData, bytes]) -> None:
    family = family_of(store, DRAFT_CASE)
    child = store.children.for_family(family.id)[0]
    latest = store.rounds.for_child(child.id)[-1]
    assert store.consensus.get_for_round(latest.id) is None
    form = get_form(FORM_ID)
    draft = Consensus(round_id=latest.id, form_id=form.id, form_version=form.version,
                      items={"dev_play": ConsensusItem("dev_play", "yes", "Seen at the home visit")})
    store.consensus.save(draft)
    data = build_summary(store, DRAFT_CASE, latest.id, now=NOW)
    assert data.consensus.state is ConsensusState.DRAFT
    # pypdf reads the rotated watermark (pdftotext -layout leaves rotated text out)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_summary_pdf(data, charts=False))).pages]
    assert len(pages) > 1 and all("DRAFT" in page for page in pages)
    assert not any("DRAFT" in page.extract_text() for page in PdfReader(io.BytesIO(final[1])).pages)


def test_blind_scoring_holds_for_the_summary(store: Store) -> None:
    family = family_of(store, DRAFT_CASE)
    child = store.children.for_family(family.id)[-1]
    rnd = store.rounds.add(Round(child_id=child.id, held_on=TODAY, purpose=RoundPurpose.CORE_GROUP))
    form = get_form(FORM_ID)
    store.sheets.create(RatingSheet(round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL,
                                    professional_id=store.owner_id, form_id=form.id, form_version=form.version,
                                    answers={"dev_play": Answer("dev_play", "yes")}))
    with pytest.raises(BlindScoring):
        build_summary(store, DRAFT_CASE, rnd.id)


# --- protection and writing --------------------------------------------------------------------------------


@needs_poppler
def test_protected_pdf_needs_its_password_and_no_plain_copy_reaches_disk(
        final: tuple[SummaryData, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[bytes] = []
    real_write = pdf_secure.write_atomically

    def spy(path: Path, data: bytes, *, overwrite: bool = False) -> Path:
        written.append(data)
        return real_write(path, data, overwrite=overwrite)

    monkeypatch.setattr("neglect_tool.export.summary_pdf.write_atomically", spy)
    out = tmp_path / "case.pdf"
    result = export_summary_pdf(final[0], out, password=PDF_PASSWORD, charts=False)
    assert result.protected and not result.draft and result.pages >= 8
    assert len(written) == 1 and b"/Encrypt" in written[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.pdf"]  # no temporary file left
    assert out.stat().st_mode & 0o777 == 0o600
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(out)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(out, password="wrong-password")
    with pikepdf.open(out, password=PDF_PASSWORD) as opened:
        assert opened.is_encrypted and opened.encryption.R == 6 and opened.encryption.bits == 256
        assert opened.encryption.stream_method is pikepdf.models.encryption.EncryptionMethod.aesv3
        assert len(opened.pages) == result.pages
    assert subprocess.run(["pdftotext", str(out), "-"], capture_output=True).returncode != 0
    assert "OFFICIAL-SENSITIVE" in pages_text(out.read_bytes(), PDF_PASSWORD)[0]
    check = subprocess.run(["qpdf", "--check", f"--password={PDF_PASSWORD}", str(out)], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with pytest.raises(pdf_secure.PdfExportError, match="at least 8"):
        pdf_secure.protect(b"%PDF", "short")


def test_atomic_write_never_leaves_a_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "summary.pdf"
    pdf_secure.write_atomically(target, b"%PDF-old")
    with pytest.raises(pdf_secure.PdfExportError, match="already exists"):
        pdf_secure.write_atomically(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-old"

    def failing_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        pdf_secure.write_atomically(target, b"%PDF-new", overwrite=True)
    assert target.read_bytes() == b"%PDF-old" and [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]
    with pytest.raises(pdf_secure.PdfExportError, match="does not exist"):
        pdf_secure.write_atomically(tmp_path / "missing" / "x.pdf", b"%PDF")


# --- the command line ----------------------------------------------------------------------------------------


@pytest.fixture
def cli_store(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The CLI opens the module's demo store (fast test KDF) instead of asking for a passphrase."""
    path = store.path
    monkeypatch.setattr("neglect_tool.cli.summary_cmd.open_session",
                        lambda args: Session(Store.open(path, PASSPHRASE, kdf=FAST_TEST_KDF)))
    return store


@needs_poppler
def test_cli_writes_a_protected_summary(cli_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEGLECT_TOOL_PDF_PASSWORD", PDF_PASSWORD)
    out = tmp_path / f"{FINAL_CASE}.pdf"
    assert run_cli(["export", "summary", "--case", FINAL_CASE, "--out", str(out), "--redact"]) == 0
    assert "encrypted" in capsys.readouterr().out
    text = " ".join(pages_text(out.read_bytes(), PDF_PASSWORD))
    assert "Redacted copy" in text and "OFFICIAL-SENSITIVE" in text
    # a second run refuses to overwrite; --overwrite replaces
    assert run_cli(["export", "summary", "--case", FINAL_CASE, "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_cli_refuses_bad_input_and_changes_nothing(cli_store: Store, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    family = family_of(cli_store, FINAL_CASE)
    named = tmp_path / f"{family.family_name.lower()}-summary.pdf"
    assert run_cli(["export", "summary", "--case", FINAL_CASE, "--out", str(named), "--no-protect"]) == 1
    assert "name the file by case reference" in capsys.readouterr().err
    assert run_cli(["export", "summary", "--case", FINAL_CASE, "--round", "not-a-uuid",
                    "--out", str(tmp_path / "a.pdf"), "--no-protect"]) == 1
    assert "--round must be a round id" in capsys.readouterr().err
    assert run_cli(["export", "summary", "--case", FINAL_CASE, "--out", str(tmp_path / "a.txt"),
                    "--no-protect"]) == 1
    monkeypatch.delenv("NEGLECT_TOOL_PDF_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run_cli(["export", "summary", "--case", FINAL_CASE, "--out", str(tmp_path / "b.pdf")]) == 1
    assert "NEGLECT_TOOL_PDF_PASSWORD" in capsys.readouterr().err
    assert run_cli(["export", "summary", "--case", "NO-SUCH", "--out", str(tmp_path / "c.pdf"),
                    "--no-protect"]) == 1
    assert list(tmp_path.iterdir()) == []


@needs_poppler
def test_cli_unprotected_summary_warns(cli_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plain.pdf"
    assert run_cli(["export", "summary", "--case", REDACT_CASE, "--out", str(out), "--no-protect"]) == 0
    assert "NOT encrypted" in capsys.readouterr().err
    assert out.stat().st_mode & 0o777 == 0o600
    assert "OFFICIAL-SENSITIVE" in pages_text(out.read_bytes())[0]


def test_summary_data_is_frozen(final: tuple[SummaryData, bytes]) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        final[0].case_ref = "changed"  # type: ignore[misc]
