"""The meeting's record for one round: the consensus (agreed answers, rationale, unresolved items) and the plan.

Every professional's original answer stays on their own submitted sheet; the consensus is a sheet of its
own for the round. It is saved on every change (a draft), audited, and final once the round is closed:
after that it can no longer change (enforced by the store as well).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import replace

from ..domain import (
    Agency,
    Consensus,
    ConsensusItem,
    ConsensusStatus,
    DomainError,
    Plan,
    PlanAction,
    PlanTarget,
    RaterKind,
    RatingSheet,
    RoundStatus,
    SheetStatus,
)
from ..forms.loader import get_form
from ..forms.model import FormDefinition
from ..storage.store import Store

UNANIMOUS_RATIONALE = "All professionals gave this answer."


class Meeting:
    """Use cases of the meeting for one round (which must already be open for comparison)."""

    def __init__(self, store: Store, round_id: uuid.UUID, sheets: list[RatingSheet]) -> None:
        self._store = store
        self.round = store.rounds.get(round_id)
        self.professional_sheets = [s for s in sheets if s.rater_kind is RaterKind.PROFESSIONAL
                                    and s.status is SheetStatus.SUBMITTED]
        if not self.professional_sheets:
            raise DomainError("No professional has submitted a sheet for this round yet.")
        first = self.professional_sheets[0]
        self.form: FormDefinition = get_form(first.form_id, first.form_version)
        existing = store.consensus.get_for_round(round_id)
        self.consensus: Consensus = existing or Consensus(
            round_id=round_id, form_id=self.form.id, form_version=self.form.version)
        self.plan: Plan = store.plans.get_for_round(round_id) or Plan(round_id=round_id)

    # --- consensus -----------------------------------------------------------------------------------

    @property
    def is_final(self) -> bool:
        return self.consensus.status is ConsensusStatus.FINAL

    def ratings(self, item_id: str) -> list[str]:
        """The professionals' real ratings of an item (Not known and N/A left out)."""
        scale = self.form.scale_for(self.form.item(item_id))
        rating_codes = {o.code for o in scale.rating_options}
        given = (s.answers[item_id].option for s in self.professional_sheets if item_id in s.answers)
        return [code for code in given if code is not None and code in rating_codes]

    def rated_items(self) -> list[str]:
        """Items at least one professional rated, in form order: each needs the meeting's view."""
        return [item.id for item in self.form.items() if self.ratings(item.id)]

    def agree(self, item_id: str, option: str, rationale: str = "") -> ConsensusItem:
        self.form.scale_for(self.form.item(item_id)).option(option)  # KeyError for an unknown code
        saved = self._save_item(ConsensusItem(item_id=item_id, agreed_option=option, rationale=rationale))
        waiting = [t for t in self.plan.targets if t.item_id == item_id and t.baseline_option is None]
        if waiting:  # a target set before the item was agreed takes the agreed answer as where it starts
            self.plan = self._store.plans.save(replace(self.plan, targets=tuple(
                replace(t, baseline_option=option) if t in waiting else t for t in self.plan.targets)))
        return saved

    def mark_unresolved(self, item_id: str, *, escalation_owner: str, escalate_by: dt.date,
                        rationale: str = "") -> ConsensusItem:
        self.form.item(item_id)
        return self._save_item(ConsensusItem(item_id=item_id, unresolved=True, escalation_owner=escalation_owner,
                                             escalate_by=escalate_by, rationale=rationale))

    def clear(self, item_id: str) -> None:
        if item_id in self.consensus.items:
            items = {k: v for k, v in self.consensus.items.items() if k != item_id}
            self.consensus = self._store.consensus.save(self.consensus.evolve(items=items))

    def accept_unanimous(self) -> int:
        """Record the agreed answer wherever every professional who rated an item gave the same answer."""
        added = {}
        for item_id in self.rated_items():
            if item_id in self.consensus.items:
                continue
            counts = Counter(self.ratings(item_id))
            if len(counts) == 1:
                added[item_id] = ConsensusItem(item_id=item_id, agreed_option=next(iter(counts)),
                                               rationale=UNANIMOUS_RATIONALE)
        if added:
            self.consensus = self._store.consensus.save(
                self.consensus.evolve(items={**self.consensus.items, **added}))
        return len(added)

    def undecided(self) -> list[str]:
        return [item_id for item_id in self.rated_items() if item_id not in self.consensus.items]

    def finalise(self) -> Consensus:
        """Make the consensus final and close the round. Every rated item needs an agreed answer or an owner."""
        missing = self.undecided()
        if missing:
            raise DomainError(f"{len(missing)} item{'s have' if len(missing) != 1 else ' has'} no agreed answer yet: "
                              "agree an answer or mark each one unresolved with who escalates it and by when.")
        self.consensus = self._store.consensus.save(self.consensus.finalised())
        if self.round.status is not RoundStatus.CLOSED:
            self.round = self._store.rounds.update(self.round.evolve(status=RoundStatus.CLOSED))
        return self.consensus

    def _save_item(self, item: ConsensusItem) -> ConsensusItem:
        if self.is_final:
            raise DomainError("The consensus is final; it can no longer change.")
        if self._store.rounds.get(self.round.id).status is RoundStatus.CLOSED:
            raise DomainError("This round is closed; its meeting's view can no longer change.")
        self.consensus = self._store.consensus.save(self.consensus.with_item(item))
        return item

    # --- plan ----------------------------------------------------------------------------------------

    def add_target(self, item_id: str, target_option: str, review_on: dt.date) -> PlanTarget:
        self.form.scale_for(self.form.item(item_id)).option(target_option)
        agreed = self.consensus.items.get(item_id)
        target = PlanTarget(item_id=item_id, baseline_option=agreed.agreed_option if agreed else None,
                            target_option=target_option, review_on=review_on)
        self.plan = self._store.plans.save(replace(self.plan, targets=(*self.plan.targets, target)))
        return target

    def add_action(self, description: str, owner: str, agency: Agency, due_on: dt.date) -> PlanAction:
        action = PlanAction(description=description, owner=owner, agency=agency, due_on=due_on)
        self.plan = self._store.plans.save(replace(self.plan, actions=(*self.plan.actions, action)))
        return action

    def mark_action_done(self, action_id: uuid.UUID, on: dt.date) -> None:
        actions = tuple(a.evolve(done_on=on) if a.id == action_id else a for a in self.plan.actions)
        self.plan = self._store.plans.save(replace(self.plan, actions=actions))

    def remove_target(self, target_id: uuid.UUID) -> None:
        self.plan = self._store.plans.save(
            replace(self.plan, targets=tuple(t for t in self.plan.targets if t.id != target_id)))

    def remove_action(self, action_id: uuid.UUID) -> None:
        self.plan = self._store.plans.save(
            replace(self.plan, actions=tuple(a for a in self.plan.actions if a.id != action_id)))

    def set_plan_active(self, active: bool) -> None:
        self.plan = self._store.plans.save(replace(self.plan, active=active))
