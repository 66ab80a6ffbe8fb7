"""Casework services: the sheet editor's saving, undo/redo and submit, and the blind-scoring rule."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from neglect_tool.domain import (
    Agency,
    Child,
    DomainError,
    EvidenceSource,
    Family,
    Professional,
    RatingSheet,
    Recency,
    RoundPurpose,
    RoundStatus,
    SheetStatus,
)
from neglect_tool.domain.model import RaterKind
from neglect_tool.services.casework import BlindScoring, Casework
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE

HELD_ON = dt.date(2026, 10, 1)


def _case(work: Casework, *, born: dt.date = dt.date(2024, 2, 3)) -> tuple[Family, Child]:
    family = work.save_family(Family(case_ref="T-0001", family_name="Quillfeather"))
    child = work.save_child(Child(family_id=family.id, given_names="Mabli", family_name="Quillfeather",
                                  date_of_birth=born))
    return family, child


def test_editor_saves_every_answer_at_once_and_survives_reopening(fresh_store: Store) -> None:
    work = Casework(fresh_store)
    _family, child = _case(work)
    rnd = work.create_round(child.id, held_on=HELD_ON, purpose=RoundPurpose.CORE_GROUP)
    editor = work.start_own_sheet(rnd.id)
    first, second = editor.items[0], editor.items[1]
    editor.set_option(first.id, "yes")
    editor.set_option(second.id, "no")
    editor.set_evidence(second.id, note="Seen on the visit of 30 Sept.", source=EvidenceSource.OBSERVED,
                        recency=Recency.RECENT)
    path = fresh_store.path
    fresh_store.close()

    with Store.open(path, PASSPHRASE, kdf=FAST_TEST_KDF) as reopened:
        again = Casework(reopened).start_own_sheet(rnd.id)  # the same draft, not a new sheet
        assert again.sheet.id == editor.sheet.id
        assert again.answer(first.id).option == "yes"
        kept = again.answer(second.id)
        assert (kept.option, kept.note, kept.source, kept.recency) == (
            "no", "Seen on the visit of 30 Sept.", EvidenceSource.OBSERVED, Recency.RECENT)


def test_undo_and_redo_are_saved_changes(fresh_store: Store) -> None:
    work = Casework(fresh_store)
    _family, child = _case(work)
    rnd = work.create_round(child.id, held_on=HELD_ON, purpose=RoundPurpose.CORE_GROUP)
    editor = work.start_own_sheet(rnd.id)
    item = editor.items[0].id
    editor.set_option(item, "yes")
    editor.set_option(item, "borderline")
    assert editor.undo() == item
    assert editor.answer(item).option == "yes"
    assert fresh_store.sheets.get(editor.sheet.id).answers[item].option == "yes"
    editor.undo()
    assert not editor.is_answered(item)
    assert item not in fresh_store.sheets.get(editor.sheet.id).answers
    assert editor.redo() == item and editor.redo() == item
    assert fresh_store.sheets.get(editor.sheet.id).answers[item].option == "borderline"
    assert editor.redo() is None
    editor.undo()
    editor.set_option(item, "no")  # a new change clears what could be redone
    assert not editor.can_redo


def test_items_that_do_not_apply_are_left_out_with_a_count(fresh_store: Store) -> None:
    work = Casework(fresh_store)
    _family, child = _case(work, born=dt.date(2026, 2, 1))  # 8 months on the round's date
    rnd = work.create_round(child.id, held_on=HELD_ON, purpose=RoundPurpose.CORE_GROUP)
    editor = work.start_own_sheet(rnd.id)
    hidden = editor.applicability.hidden_by_age
    assert hidden and "at 8 months" in editor.applicability.hidden_summary()
    assert not {i.id for i in hidden} & {i.id for i in editor.items}
    assert len(editor.items) + len(hidden) + len(editor.applicability.hidden_by_condition) == len(
        editor.form.items())


def test_progress_unanswered_and_submit_locks(fresh_store: Store) -> None:
    work = Casework(fresh_store)
    _family, child = _case(work)
    rnd = work.create_round(child.id, held_on=HELD_ON, purpose=RoundPurpose.CORE_GROUP)
    editor = work.start_own_sheet(rnd.id)
    for item in editor.items[:-2]:
        editor.set_option(item.id, "yes")
    assert editor.answered_count() == len(editor.items) - 2
    assert [i.id for i in editor.unanswered()] == [i.id for i in editor.items[-2:]]
    assert editor.next_unanswered() == len(editor.items) - 2
    assert sum(p.answered for p in editor.progress()) == editor.answered_count()
    editor.submit()
    assert editor.read_only and fresh_store.sheets.get(editor.sheet.id).status is SheetStatus.SUBMITTED
    with pytest.raises(DomainError):
        editor.set_option(editor.items[-1].id, "no")
    amended = work.amend_sheet(editor.sheet.id, "Missed the school's attendance record")
    assert amended.sheet.version == 2 and amended.sheet.supersedes == editor.sheet.id
    assert amended.answer(editor.items[0].id).option == "yes"


def test_others_answers_stay_hidden_until_own_sheet_is_submitted(fresh_store: Store) -> None:
    work = Casework(fresh_store)
    family, child = _case(work)
    rnd = work.create_round(child.id, held_on=HELD_ON, purpose=RoundPurpose.CORE_GROUP)
    others = [work.add_professional(family.id, name=n, role="Health visitor", agency=Agency.HEALTH)
              for n in ("Ada Testperson", "Bea Sampleton")]
    form = work.start_own_sheet(rnd.id).form
    for prof in others:
        sheet = fresh_store.sheets.create(RatingSheet(
            round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL, professional_id=prof.id,
            form_id=form.id, form_version=form.version))
        fresh_store.sheets.submit(sheet.id)

    overview = work.round_overview(rnd)
    assert overview.blind and not overview.can_compare
    assert overview.submitted_professional_sheets == 2  # who has submitted may show...
    with pytest.raises(BlindScoring):
        work.submitted_sheets_for_comparison(rnd.id)  # ...what they answered may not
    other_sheet = next(s for s in overview.sheets if not s.is_own)
    with pytest.raises(BlindScoring):
        work.open_sheet(other_sheet.sheet_id)

    own = work.start_own_sheet(rnd.id)
    own.set_option(own.items[0].id, "yes")
    own.submit()
    assert work.round_overview(rnd).can_compare
    assert len(work.submitted_sheets_for_comparison(rnd.id)) == 3
    assert any(e.action == "answers_viewed" for e in fresh_store.audit.entries_for(rnd.id))


def _round_with_two_submitted(work: Casework, store: Store) -> tuple[uuid.UUID, list[uuid.UUID]]:
    family, child = _case(work)
    rnd = work.create_round(child.id, held_on=HELD_ON, purpose=RoundPurpose.CORE_GROUP)
    sheets = []
    for name in ("Ada Testperson", "Bea Sampleton"):
        prof = work.add_professional(family.id, name=name, role="Teacher", agency=Agency.EDUCATION)
        sheet = store.sheets.create(RatingSheet(
            round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL, professional_id=prof.id,
            form_id="childcare-development-checklist", form_version=1))
        store.sheets.submit(sheet.id)
        sheets.append(sheet.id)
    return rnd.id, sheets


def test_chair_who_looks_first_cannot_then_score_independently(fresh_store: Store) -> None:
    work = Casework(fresh_store)
    round_id, _sheets = _round_with_two_submitted(work, fresh_store)
    assert len(work.submitted_sheets_for_comparison(round_id)) == 2
    with pytest.raises(BlindScoring, match="not be independent"):
        work.start_own_sheet(round_id)


def test_opening_a_colleagues_sheet_from_the_list_counts_as_seeing_their_answers(fresh_store: Store) -> None:
    """The sheet list is not a way round the blind-scoring rule: opening another professional's sheet is
    recorded like opening the comparison, and a sheet from you after that is not independent."""
    work = Casework(fresh_store)
    round_id, sheets = _round_with_two_submitted(work, fresh_store)
    viewed = work.open_sheet(sheets[0])
    assert viewed.read_only and not viewed.can_amend
    assert fresh_store.rounds.owner_viewed_answers_unscored(round_id)
    with pytest.raises(BlindScoring, match="not be independent"):
        work.start_own_sheet(round_id)


def test_a_colleagues_draft_stays_theirs(fresh_store: Store) -> None:
    work = Casework(fresh_store)
    round_id, _sheets = _round_with_two_submitted(work, fresh_store)
    colleague = fresh_store.professionals.add(Professional(name="Cy Draftwell", role="GP", agency=Agency.HEALTH))
    draft = fresh_store.sheets.create(RatingSheet(
        round_id=round_id, rater_kind=RaterKind.PROFESSIONAL, professional_id=colleague.id,
        form_id="childcare-development-checklist", form_version=1))
    with pytest.raises(BlindScoring, match="draft"):
        work.open_sheet(draft.id)


def test_only_your_own_sheet_is_amended_and_only_while_the_round_is_open(fresh_store: Store) -> None:
    work = Casework(fresh_store)
    round_id, sheets = _round_with_two_submitted(work, fresh_store)
    before = fresh_store.sheets.current_for_round(round_id)
    with pytest.raises(DomainError, match="Only its author"):
        work.amend_sheet(sheets[0], "I disagree with this answer")
    assert fresh_store.sheets.current_for_round(round_id) == before  # nothing changed
    mine = work.start_own_sheet(round_id)
    mine.set_option(mine.items[0].id, "yes")
    submitted = mine.submit()
    assert work.open_sheet(submitted.id).can_amend
    amended = work.amend_sheet(submitted.id, "Added the school's attendance figures")
    assert amended.sheet.supersedes == submitted.id and amended.sheet.version == 2
    amended.submit()
    work.set_round_status(round_id, RoundStatus.CLOSED)
    assert not work.open_sheet(amended.sheet.id).can_amend
    with pytest.raises(DomainError, match="closed"):
        work.amend_sheet(amended.sheet.id, "One more change")


def test_a_round_closes_only_with_its_consensus_final(fresh_store: Store) -> None:
    """Closing through Edit round while the meeting's view is a draft would leave a consensus that is
    neither final nor editable: refused, and a closed round's consensus no longer changes."""
    work = Casework(fresh_store)
    round_id, _sheets = _round_with_two_submitted(work, fresh_store)
    meeting = work.meeting(round_id)
    item = meeting.form.items()[0].id
    meeting.agree(item, "yes", "seen at the visit")
    with pytest.raises(DomainError, match="still a draft"):
        work.set_round_status(round_id, RoundStatus.CLOSED)
    assert fresh_store.rounds.get(round_id).status is not RoundStatus.CLOSED
    meeting.mark_unresolved(item, escalation_owner="Ada Testperson", escalate_by=HELD_ON + dt.timedelta(days=14))
    for other in meeting.undecided():
        meeting.agree(other, "yes")
    meeting.finalise()
    assert fresh_store.rounds.get(round_id).status is RoundStatus.CLOSED
    with pytest.raises(DomainError):
        meeting.agree(item, "no")
