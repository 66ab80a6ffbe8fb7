"""Leak scan: a whole working session, run in a fresh process whose every folder (HOME, the XDG data, config,
cache and state folders, TMPDIR, matplotlib's MPLCONFIGDIR, the working folder, the export folder) lives in
one temporary tree; afterwards every byte of every file in that tree is searched for the session's canary
values (names, NHS number, a note) in UTF-8 and UTF-16. The only file allowed to hold them is the
unprotected PDF the user asked for, listed below.

The session goes through the real services and the command line where one exists: `store init`, a family
with canary names, notes and NHS number, the owner's sheet through the sheet editor, two colleagues' sheets
written directly into the store and a parent's own view, the comparison, the meeting's consensus and plan,
an encrypted record export (service and CLI), a backup, an import into a colleague's new store, the PDF
summary with and without a password and redacted (through the services, and `export summary` on the
command line; each part runs only when its module is installed, and they are), settings saved, then lock.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .trust_helpers import (
    CARER_NAME,
    CHILD_NAME,
    FAMILY_NAME,
    NHS_NUMBER,
    NOTE,
    files_under,
    hits_in,
    scan_files,
    text_hits,
)

REPO = Path(__file__).resolve().parents[1]
PASSPHRASE = "leak scan store passphrase 2026"
RECORD_PASSPHRASE = "otter-lantern-quartz-meadow-basil-fern"
PDF_PASSWORD = "pdf password for the meeting"
REF = "LS-2026-0042"
PDF_AVAILABLE = all(importlib.util.find_spec(m) is not None
                    for m in ("neglect_tool.services.summary", "neglect_tool.export.summary_pdf"))
CLI_PDF_AVAILABLE = importlib.util.find_spec("neglect_tool.cli.summary_cmd") is not None


# --- the session (runs in the child process) ---------------------------------------------------------------


def _cli(*argv: str) -> None:
    from neglect_tool.cli import run_cli

    status = run_cli(list(argv))
    if status != 0:
        raise SystemExit(f"CLI {argv[:2]} failed with status {status}")


def _casework(exports: Path) -> dict[str, str]:
    """Everything a practitioner does with one case, through the services. Returns the files written."""
    from neglect_tool.domain import (
        Agency,
        Answer,
        Child,
        EvidenceSource,
        Family,
        RaterKind,
        RatingSheet,
        Recency,
        RoundPurpose,
        SheetStatus,
    )
    from neglect_tool.paths import default_store_path
    from neglect_tool.services.session import Session
    from neglect_tool.services.settings import Settings, save_settings

    session = Session.unlock(default_store_path(), PASSPHRASE)
    work, store = session.casework, session.store
    family = work.save_family(Family(case_ref=REF, family_name=FAMILY_NAME, notes=f"{NOTE} on the stairs",
                                     address_note=f"{FAMILY_NAME} household, flat 3", consent_sought=True))
    child = work.save_child(Child(family_id=family.id, given_names=CHILD_NAME, family_name=FAMILY_NAME,
                                  date_of_birth=dt.date(2019, 3, 4), nhs_number=NHS_NUMBER))
    colleagues = [work.add_professional(family.id, name="Ivy Leakcombe", role="Health visitor", agency=Agency.HEALTH),
                  work.add_professional(family.id, name="Tom Scanwell", role="Class teacher",
                                        agency=Agency.EDUCATION)]
    rnd = work.create_round(child.id, held_on=dt.date(2026, 3, 2), purpose=RoundPurpose.INITIAL_CONFERENCE,
                            title=f"{CHILD_NAME} initial conference")
    editor = work.start_own_sheet(rnd.id)
    items = editor.items[:10]
    for n, item in enumerate(items):
        editor.set_option(item.id, ("yes", "no", "borderline")[n % 3])
        editor.set_evidence(item.id, note=f"{NOTE}: {CHILD_NAME} seen {n}", source=EvidenceSource.OBSERVED,
                            recency=Recency.RECENT)
    editor.set_free_text("child_voice", f"{CHILD_NAME} said the fridge is empty.")
    editor.submit()
    for k, prof in enumerate(colleagues):  # the colleagues' sheets, as if imported from their laptops
        answers = {item.id: Answer(item.id, ("yes", "no", "borderline", "no")[(n + k) % 4],
                                   note=f"{FAMILY_NAME} home, {NOTE}") for n, item in enumerate(items)}
        store.sheets.create(RatingSheet(round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL, professional_id=prof.id,
                                        form_id=editor.form.id, form_version=editor.form.version, answers=answers,
                                        status=SheetStatus.SUBMITTED, submitted_at=dt.datetime.now(dt.UTC)))
    carer = work.start_carer_sheet(rnd.id, CARER_NAME)
    carer.set_option(items[0].id, "yes")
    carer.submit()

    comparison = work.comparison(rnd.id)
    assert len(comparison.professionals) == 3, comparison.professionals
    meeting = work.meeting(rnd.id)
    meeting.accept_unanimous()
    undecided = meeting.undecided()
    meeting.mark_unresolved(undecided[0], escalation_owner="Chair", escalate_by=dt.date(2026, 3, 20),
                            rationale=f"School and health see {CHILD_NAME}'s lunches differently.")
    for item_id in undecided[1:]:
        meeting.agree(item_id, "borderline", f"{FAMILY_NAME} home seen by all; {NOTE}")
    meeting.add_target(undecided[1], "yes", dt.date(2026, 6, 1))
    meeting.add_action(f"Weekly visit to {CHILD_NAME}", CARER_NAME, Agency.HEALTH, dt.date(2026, 4, 1))
    meeting.finalise()

    outputs = {"record": str(work.export_case_record(REF, RECORD_PASSPHRASE, exports).path)}
    if PDF_AVAILABLE:
        from neglect_tool.export.summary_pdf import export_summary_pdf
        from neglect_tool.services.summary import build_summary

        data = build_summary(store, REF)
        outputs["pdf_protected"] = str(export_summary_pdf(data, exports / "summary-protected.pdf",
                                                          password=PDF_PASSWORD).path)
        outputs["pdf_unprotected"] = str(export_summary_pdf(data, exports / "summary-unprotected.pdf",
                                                            password=None, charts=False).path)
        redacted = build_summary(store, REF, redact=True)
        outputs["pdf_redacted"] = str(export_summary_pdf(redacted, exports / "summary-redacted.pdf",
                                                         password=None, charts=False).path)
    save_settings(Settings(idle_lock_minutes=3, initials_only_by_default=True))
    session.lock()  # lock, then the process quits
    return outputs


def run_session(root: Path) -> None:
    """The whole session; prints one RESULT line (paths only) on stdout."""
    exports = root / "exports"
    _cli("store", "init", "--name", "Robin Leakwell", "--role", "Social worker")
    outputs = _casework(exports)
    _cli("cases", "list", "--search", FAMILY_NAME[:4])
    _cli("store", "backup", str(exports / "backup.ntdb"))
    os.environ["NEGLECT_TOOL_EXPORT_PASSPHRASE"] = RECORD_PASSPHRASE
    _cli("export", "record", "--case", REF, "--out", str(exports / "cli-record.ntrec"))
    if CLI_PDF_AVAILABLE:
        os.environ["NEGLECT_TOOL_PDF_PASSWORD"] = PDF_PASSWORD
        _cli("export", "summary", "--case", REF, "--out", str(exports / "cli-summary.pdf"))
        outputs["cli_pdf"] = str(exports / "cli-summary.pdf")
    colleague = root / "colleague" / "store.ntdb"
    _cli("--store", str(colleague), "store", "init", "--name", "Ivy Leakcombe", "--role", "Health visitor",
         "--agency", "health")
    os.environ["NEGLECT_TOOL_IMPORT_PASSPHRASE"] = RECORD_PASSPHRASE
    _cli("--store", str(colleague), "import", outputs["record"])
    print("RESULT " + json.dumps(outputs))


# --- the test (the parent process) -----------------------------------------------------------------------


def _folders(root: Path) -> dict[str, Path]:
    home = root / "home"
    return {"HOME": home, "XDG_DATA_HOME": home / ".local" / "share", "XDG_CONFIG_HOME": home / ".config",
            "XDG_CACHE_HOME": home / ".cache", "XDG_STATE_HOME": home / ".local" / "state",
            "TMPDIR": root / "tmp", "MPLCONFIGDIR": root / "mpl", "work": root / "work", "exports": root / "exports"}


def _pdf_text(path: Path, password: str = "") -> str:
    """The text of a PDF; an encrypted one is opened with pikepdf (qpdf's AES) and read from memory."""
    import io

    import pikepdf
    from pypdf import PdfReader

    plain = io.BytesIO()
    with pikepdf.open(path, password=password) as pdf:
        pdf.save(plain)
    return "\n".join(page.extract_text() or "" for page in PdfReader(plain).pages)


@pytest.fixture(scope="module")
def session_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], str]:
    root = tmp_path_factory.mktemp("laptop")
    folders = _folders(root)
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEGLECT_TOOL_", "XDG_"))}
    env.update({k: str(v) for k, v in folders.items() if k.isupper()})
    env.update({"NEGLECT_TOOL_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1",
                "PYTHONPATH": str(REPO)})
    code = ("import sys; from pathlib import Path; from tests.test_leak_scan import run_session; "
            "run_session(Path(sys.argv[1]))")
    done = subprocess.run([sys.executable, "-c", code, str(root)], cwd=folders["work"], env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    [result] = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    return root, json.loads(result.removeprefix("RESULT ")), done.stderr


def test_no_canary_in_any_file_the_session_left(session_tree: tuple[Path, dict[str, str], str]) -> None:
    root, outputs, _stderr = session_tree
    # asked for without a password: the full summary, and the redacted one (initials only, but it keeps
    # the professionals' notes, so its text holds the note canary)
    allowed = {Path(outputs["pdf_unprotected"]), Path(outputs["pdf_redacted"])} if PDF_AVAILABLE else set()
    files = files_under(root)
    folders = _folders(root)
    # the session really wrote where it should: a store in the data folder, settings, exports
    assert (folders["XDG_DATA_HOME"] / "neglect-tool" / "store.ntdb").is_file()
    assert (folders["XDG_CONFIG_HOME"] / "neglect-tool" / "settings.json").is_file()
    assert len(files) >= (8 if PDF_AVAILABLE else 5)  # the PDFs add files when the summary is installed
    leaks = {p: hits for p, hits in scan_files(files).items() if p not in allowed}
    assert leaks == {}, {str(p.relative_to(root)): hits for p, hits in leaks.items()}
    # a PDF's page text is compressed, so bytes alone would not show it: every unencrypted PDF is also read
    # as text, and only the allowed ones may hold child data
    pdfs = [p for p in files if p.read_bytes().startswith(b"%PDF")]
    assert len(pdfs) >= (3 if PDF_AVAILABLE else 0)
    for pdf in pdfs:
        if b"/Encrypt" in pdf.read_bytes():
            continue
        assert pdf in allowed, f"{pdf.name} is an unencrypted PDF nobody asked for"
    for pdf in allowed:
        assert text_hits(_pdf_text(pdf)) != []  # the text scan does see child data where it is expected
    named = [p for p in files if text_hits(str(p.relative_to(root)))]
    assert named == []  # no file is named after anyone
    assert files_under(folders["TMPDIR"]) == []  # nothing was left in the temp folder


@pytest.mark.skipif(not PDF_AVAILABLE, reason="the PDF summary is not installed yet")
def test_the_pdfs_are_what_the_user_asked_for(session_tree: tuple[Path, dict[str, str], str]) -> None:
    _root, outputs, _stderr = session_tree
    unprotected, protected = Path(outputs["pdf_unprotected"]), Path(outputs["pdf_protected"])
    assert CHILD_NAME in _pdf_text(unprotected)  # the allowed file does hold the data (the scan is not blind)
    assert b"/Encrypt" in protected.read_bytes() and hits_in(protected.read_bytes()) == []
    import pikepdf

    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(protected)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(protected, password="wrong password")
    with pikepdf.open(protected, password=PDF_PASSWORD) as pdf:
        assert (pdf.encryption.R, pdf.encryption.bits, pdf.encryption.stream_method.name) == (
            6, 256, "aesv3")
    assert CHILD_NAME in _pdf_text(protected, PDF_PASSWORD)  # the password opens the real content
    assert "OFFICIAL-SENSITIVE" in _pdf_text(unprotected)
    with pikepdf.open(unprotected) as pdf:  # even the unprotected copy names nobody in its metadata
        assert text_hits(" ".join(str(v) for v in pdf.docinfo.values())) == []
    if CLI_PDF_AVAILABLE:
        cli_pdf = Path(outputs["cli_pdf"])
        with pytest.raises(pikepdf.PasswordError):
            pikepdf.open(cli_pdf)
        assert CHILD_NAME in _pdf_text(cli_pdf, PDF_PASSWORD)


@pytest.mark.skipif(not PDF_AVAILABLE, reason="the PDF summary is not installed yet")
def test_the_redacted_pdf_names_nobody(session_tree: tuple[Path, dict[str, str], str]) -> None:
    _root, outputs, _stderr = session_tree
    redacted = _pdf_text(Path(outputs["pdf_redacted"]))
    assert text_hits(redacted, (FAMILY_NAME, CHILD_NAME, NHS_NUMBER, CARER_NAME)) == []


def test_the_session_wrote_no_personal_data_to_stderr(session_tree: tuple[Path, dict[str, str], str]) -> None:
    _root, _outputs, stderr = session_tree
    assert text_hits(stderr) == []
