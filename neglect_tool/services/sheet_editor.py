"""Filling in one rating sheet: answers saved as they are given, undo/redo while in draft, then submit.

Plain Python so that the editor's rules are tested without Qt; the Qt screen only shows this state and
forwards key presses. Every change goes to the store at once (one small transaction), so nothing typed is
lost if the app or the laptop dies; undo and redo are themselves saved changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..domain import Child, RoundStatus
from ..domain.dates import utc_now
from ..domain.errors import DomainError
from ..domain.model import Answer, AssessmentRound, EvidenceSource, RatingSheet, Recency
from ..forms.model import FormDefinition, FreeTextSection, Item, Scale, ScaleOption, Section
from ..scoring.applicability import Applicability, applicable_for_child
from ..storage.store import Store


@dataclass(frozen=True, slots=True)
class SectionProgress:
    section: Section
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total


@dataclass(frozen=True, slots=True)
class _Change:
    """One undoable change: the item's answer before and after."""

    before: Answer
    after: Answer


class SheetEditor:
    """The state of one sheet being filled in (or read, once submitted)."""

    def __init__(
        self,
        store: Store,
        sheet: RatingSheet,
        form: FormDefinition,
        child: Child,
        rnd: AssessmentRound,
        *,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        if (sheet.form_id, sheet.form_version) != form.key:
            raise DomainError("This sheet answers a different form version from the one given.")
        self._store = store
        self.sheet = sheet
        self.form = form
        self.child = child
        self.round = rnd
        self.applicability: Applicability = applicable_for_child(form, child, rnd.held_on)
        applicable = self.applicability.applicable_ids
        self.sections: tuple[tuple[Section, tuple[Item, ...]], ...] = tuple(
            (section, items)
            for section in form.sections
            if (items := tuple(item for item in section.items if item.id in applicable))
        )
        self.items: tuple[Item, ...] = tuple(item for _, items in self.sections for item in items)
        self._index = {item.id: n for n, item in enumerate(self.items)}
        self._undo: list[_Change] = []
        self._redo: list[_Change] = []
        self._on_change = on_change

    # --- reading -----------------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.sheet.is_locked

    @property
    def can_amend(self) -> bool:
        """Submitted, yours (or a carer's view you recorded), and its round still open."""
        return (self.sheet.is_locked and self.sheet.kept_by(self._store.owner_id)
                and self.round.status is not RoundStatus.CLOSED)

    @property
    def free_text_sections(self) -> tuple[FreeTextSection, ...]:
        return self.form.free_text

    def scale(self, item: Item) -> Scale:
        return self.form.scale_for(item)

    def answer(self, item_id: str) -> Answer:
        return self.sheet.answers.get(item_id) or Answer(item_id=item_id)

    def option(self, item_id: str) -> ScaleOption | None:
        code = self.answer(item_id).option
        return None if code is None else self.scale(self.items[self.index_of(item_id)]).option(code)

    def index_of(self, item_id: str) -> int:
        return self._index[item_id]

    def option_for_key(self, item: Item, key: str) -> ScaleOption | None:
        """The option a single key press picks on this item's scale (e.g. "1" is Yes), if any."""
        for opt in self.scale(item).options:
            if opt.key == key:
                return opt
        return None

    def is_answered(self, item_id: str) -> bool:
        return self.answer(item_id).option is not None

    def progress(self) -> tuple[SectionProgress, ...]:
        return tuple(
            SectionProgress(section, sum(self.is_answered(i.id) for i in items), len(items))
            for section, items in self.sections
        )

    def answered_count(self) -> int:
        return sum(self.is_answered(item.id) for item in self.items)

    def unanswered(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not self.is_answered(item.id))

    def next_unanswered(self, after: int = -1) -> int | None:
        """Index of the first unanswered item after `after`, wrapping round; None when all are answered."""
        n = len(self.items)
        for step in range(1, n + 1):
            index = (after + step) % n
            if not self.is_answered(self.items[index].id):
                return index
        return None

    # --- changing ------------------------------------------------------------------------------------

    def set_option(self, item_id: str, code: str | None) -> Answer:
        item = self.items[self.index_of(item_id)]
        if code is not None:
            self.scale(item).option(code)  # KeyError on a code the scale does not have
        return self._apply(replace(self.answer(item_id), option=code, answered_at=utc_now()))

    def set_evidence(
        self,
        item_id: str,
        *,
        note: str,
        source: EvidenceSource | None,
        recency: Recency | None,
    ) -> Answer:
        self.index_of(item_id)
        return self._apply(Answer(item_id=item_id, option=self.answer(item_id).option, note=note, source=source,
                                  recency=recency, answered_at=utc_now()))

    def set_free_text(self, section_id: str, text: str) -> None:
        self._require_draft()
        if section_id not in {f.id for f in self.form.free_text}:
            raise DomainError(f"The form has no free-text part {section_id!r}.")
        if self.sheet.free_text.get(section_id, "") == text:
            return
        self._store.sheets.save_free_text(self.sheet.id, section_id, text)
        self.sheet = self.sheet.with_free_text(section_id, text)
        self._changed()

    def _apply(self, after: Answer, *, record: bool = True) -> Answer:
        self._require_draft()
        before = self.answer(after.item_id)
        if _same(before, after):
            return before
        self._store.sheets.save_answer(self.sheet.id, after)
        self.sheet = self.sheet.with_answer(after) if not after.is_empty else self._without(after.item_id)
        if record:
            self._undo.append(_Change(before, after))
            self._redo.clear()
        self._changed()
        return after

    def _without(self, item_id: str) -> RatingSheet:
        answers = {k: v for k, v in self.sheet.answers.items() if k != item_id}
        return self.sheet.evolve(answers=answers)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo) and not self.read_only

    @property
    def can_redo(self) -> bool:
        return bool(self._redo) and not self.read_only

    def undo(self) -> str | None:
        """Put back the answer before the last change; returns the item id it touched."""
        if not self.can_undo:
            return None
        change = self._undo.pop()
        self._apply(change.before, record=False)
        self._redo.append(change)
        return change.before.item_id

    def redo(self) -> str | None:
        if not self.can_redo:
            return None
        change = self._redo.pop()
        self._apply(change.after, record=False)
        self._undo.append(change)
        return change.after.item_id

    def submit(self, at: dt.datetime | None = None) -> RatingSheet:
        """Lock the sheet. Unanswered items stay unanswered (the screen shows them and asks first)."""
        self._require_draft()
        self.sheet = self._store.sheets.submit(self.sheet.id, at)
        self._undo.clear()
        self._redo.clear()
        self._changed()
        return self.sheet

    def _require_draft(self) -> None:
        if self.read_only:
            raise DomainError("This sheet has been submitted and is locked; amend it as a new version.")

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()


def _same(a: Answer, b: Answer) -> bool:
    return (a.option, a.note, a.source, a.recency) == (b.option, b.note, b.source, b.recency)
