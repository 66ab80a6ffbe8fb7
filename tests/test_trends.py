"""Each child's direction of travel from the demo's three trajectories: improving, drifting, deteriorating."""

from __future__ import annotations

from pathlib import Path

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
