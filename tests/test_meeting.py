"""The meeting's consensus and plan, against a real store with submitted sheets."""

from __future__ import annotations

import datetime as dt

import pytest

from neglect_tool.domain import (
    Agency,
    Answer,
    Child,
    ConsensusStatus,
    DomainError,
    Family,
    RaterKind,
    RatingSheet,
    RoundPurpose,
    RoundStatus,
)
from neglect_tool.services.casework import Casework
from neglect_tool.services.meeting import UNANIMOUS_RATIONALE
from neglect_tool.storage.errors import ImmutableRecord
from neglect_tool.storage.store import Store

FORM = "childcare-development-checklist"


def _round_with_sheets(store: Store, answers: list[dict[str, str]]) -> tuple[Casework, object]:
    work = Casework(store)
    family = work.save_family(Family(case_ref="M-0001", family_name="Testhouse"))
    child = work.save_child(Child(family_id=family.id, given_names="Ivy", family_name="Testhouse",
                                  date_of_birth=dt.date(2019, 6, 1)))
    rnd = work.create_round(child.id, held_on=dt.date(2026, 10, 1), purpose=RoundPurpose.REVIEW_CONFERENCE)
    for n, given in enumerate(answers):
        prof = work.add_professional(family.id, name=f"Rater {n}", role="Teacher", agency=Agency.EDUCATION)
        sheet = store.sheets.create(RatingSheet(
            round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL, professional_id=prof.id, form_id=FORM,
            form_version=1, answers={k: Answer(item_id=k, option=v) for k, v in given.items()}))
        store.sheets.submit(sheet.id)
    return work, rnd


def test_unanimous_items_are_agreed_and_disagreements_need_a_decision(fresh_store: Store) -> None:
    work, rnd = _round_with_sheets(fresh_store, [
        {"dev_play": "yes", "dev_talk": "no", "dev_milestones": "not_known"},
        {"dev_play": "yes", "dev_talk": "yes", "dev_milestones": "not_known"},
    ])
    meeting = work.meeting(rnd.id)  # type: ignore[attr-defined]
    assert meeting.rated_items() == ["dev_play", "dev_talk"]  # Not known is not a rating
    assert meeting.accept_unanimous() == 1
    assert meeting.consensus.items["dev_play"].rationale == UNANIMOUS_RATIONALE
    assert meeting.undecided() == ["dev_talk"]
    with pytest.raises(DomainError, match="1 item has no agreed answer"):
        meeting.finalise()
    with pytest.raises(DomainError, match="who escalates"):
        meeting.mark_unresolved("dev_talk", escalation_owner="", escalate_by=dt.date(2026, 10, 20))
    meeting.mark_unresolved("dev_talk", escalation_owner="Chair", escalate_by=dt.date(2026, 10, 20),
                            rationale="School and social care see attendance differently; check the register.")
    final = meeting.finalise()
    assert final.status is ConsensusStatus.FINAL
    assert fresh_store.rounds.get(rnd.id).status is RoundStatus.CLOSED  # type: ignore[attr-defined]
    with pytest.raises(DomainError):
        meeting.agree("dev_play", "no")
    with pytest.raises(ImmutableRecord):
        fresh_store.consensus.save(final.evolve(items={}))
    assert [e.action for e in fresh_store.audit.entries_for(final.id)] == ["saved"] * 3


def test_agree_keeps_rationale_and_the_originals_stay_on_the_sheets(fresh_store: Store) -> None:
    work, rnd = _round_with_sheets(fresh_store, [{"dev_play": "yes"}, {"dev_play": "no"}])
    meeting = work.meeting(rnd.id)  # type: ignore[attr-defined]
    meeting.agree("dev_play", "borderline", "Toys are there but kept out of reach.")
    again = work.meeting(rnd.id)  # type: ignore[attr-defined]
    assert again.consensus.items["dev_play"].agreed_option == "borderline"
    assert sorted(again.ratings("dev_play")) == ["no", "yes"]
    with pytest.raises(KeyError):
        meeting.agree("dev_play", "maybe")


def test_plan_targets_and_actions_are_saved_and_audited(fresh_store: Store) -> None:
    work, rnd = _round_with_sheets(fresh_store, [{"dev_play": "no"}, {"dev_play": "no"}])
    meeting = work.meeting(rnd.id)  # type: ignore[attr-defined]
    meeting.accept_unanimous()
    target = meeting.add_target("dev_play", "yes", dt.date(2027, 1, 10))
    assert target.baseline_option == "no"
    action = meeting.add_action("Toy library referral", "Family support worker", Agency.VOLUNTARY,
                                dt.date(2026, 11, 1))
    meeting.mark_action_done(action.id, dt.date(2026, 10, 25))
    plan = fresh_store.plans.get_for_round(rnd.id)  # type: ignore[attr-defined]
    assert plan is not None and plan.targets[0].target_option == "yes"
    assert plan.actions[0].done_on == dt.date(2026, 10, 25)
    assert len(fresh_store.audit.entries_for(plan.id)) == 3
