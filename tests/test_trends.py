"""Each child's direction of travel from the demo's three trajectories: improving, drifting, deteriorating."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from neglect_tool.domain import RaterKind, RatingSheet, RoundPurpose
from neglect_tool.forms.loader import get_form
from neglect_tool.scoring.change import Direction
from neglect_tool.services.session import Session
from neglect_tool.services.trends import family_trends
from neglect_tool.storage.keys import FAST_TEST_KDF


def test_demo_trajectories_show_as_better_drift_and_worse(tmp_path: Path) -> None:
    session = Session.create_demo(tmp_path / "demo.ntdb", kdf=FAST_TEST_KDF)
    try:
        by_family = {c.family_name: family_trends(session.store, c.family_id) for c in session.cases()}
        assert all(t.rounds_agreed >= 2 for ts in by_family.values() for t in ts)
        ashdown = by_family["Ashdown"]
        assert all(t.last_change is not None and t.last_change.count(Direction.IMPROVED)
                   > t.last_change.count(Direction.WORSE) for t in ashdown)
        assert any(t.alerts for t in by_family["Brightwater"])
        assert all(t.marker == "✗ worse" for t in by_family["Calloway"])
        drift = next(t for t in by_family["Brightwater"] if t.alerts)
        assert "while a plan was active" in drift.describe()
    finally:
        session.lock()


def test_a_meeting_in_progress_changes_no_trend_or_drift_alert(tmp_path: Path) -> None:
    """A draft consensus (one item agreed so far) is not the meeting's view yet: the drift alert stays."""
    session = Session.create_demo(tmp_path / "demo.ntdb", kdf=FAST_TEST_KDF)
    try:
        store, work = session.store, session.casework
        family = next(c for c in session.cases() if c.family_name == "Brightwater")
        drifting = next(t for t in family_trends(store, family.family_id) if t.alerts)
        before = (drifting.rounds_agreed, drifting.marker, drifting.describe())
        form = get_form("childcare-development-checklist")
        rnd = work.create_round(drifting.child.id, held_on=dt.date.today(), purpose=RoundPurpose.CORE_GROUP)
        others = [p for p in store.professionals.list_all() if p.id != store.owner.id][:2]
        for professional in others:
            sheet = store.sheets.create(RatingSheet(round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL,
                                                    professional_id=professional.id, form_id=form.id,
                                                    form_version=form.version))
            editor = work._editor(sheet)
            for item in editor.items:
                editor.set_option(item.id, "no")
            editor.submit()
        meeting = work.meeting(rnd.id)
        meeting.agree(meeting.rated_items()[0], "no", "the first item discussed")
        after = next(t for t in family_trends(store, family.family_id) if t.child.id == drifting.child.id)
        assert (after.rounds_agreed, after.marker, after.describe()) == before
    finally:
        session.lock()
