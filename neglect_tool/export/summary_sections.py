"""The parts of the meeting summary PDF, one function per heading, each returning flowables.

Everything shown comes from SummaryData (already redacted when asked); nothing here reads the store.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..forms.model import MissingKind
from ..scoring.change import Direction
from ..scoring.comparison import AgreementResult, Cell, ComparisonRow, RowStatus, sort_rows
from ..scoring.profile import SectionProfile, answer_counts
from .pdf_doc import frame_width, short_date, short_datetime, styles, text
from .pdf_tables import boxed, key_value_table, table
from .summary_model import AgreedItem, ConsensusState, GapKind, SummaryData

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

Story = list["Flowable"]
DISAGREE_MARK = "≠"
INFO_MARK = "?"
UNRESOLVED_MARK = "U"
CARER_MARK = "c"


def _p(value: str, style: str = "body", *, markup: bool = False) -> Flowable:
    from reportlab.platypus import Paragraph

    return Paragraph(value if markup else text(value), styles()[style])


def _h1(title: str) -> Story:
    from reportlab.platypus import CondPageBreak

    return [CondPageBreak(90), _p(title, "h1")]


def _h2(title: str) -> Flowable:
    return _p(title, "h2")


def _date(value: dt.date | None, empty: str = "-") -> str:
    return short_date(value) if value is not None else empty


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _alert(message: str) -> Flowable:
    return boxed(_p(message, "alert"))


def rater_key(index: int) -> str:
    """The short code of the index-th professional column: P1, P2, ..."""
    return f"P{index + 1}"


def _index(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _widths(*fractions: float) -> list[float]:
    total = frame_width()
    return [total * f for f in fractions]


# --- the opening page ------------------------------------------------------------------------------------


def title_block(data: SummaryData) -> Story:
    doc = data.document
    story: Story = [_p(doc.title, "title"), _p(f"{data.form_title} (version {data.form_key[1]})", "subtitle")]
    if doc.redacted:
        story.append(_p("Redacted copy: the child and family are named by initials only; the date of birth and "
                        "NHS number are left out.", "note"))
    return story


def identity(data: SummaryData) -> Story:
    child, rnd, cons = data.child, data.round, data.consensus
    redacted = "Left out (redacted copy)"
    dob = redacted if data.document.redacted else _date(child.date_of_birth)
    nhs = redacted if data.document.redacted else (child.nhs_number or "Not recorded")
    delay = "No"
    if child.disability_or_delay:
        delay = "Yes" + (f"; development advice from {child.development_consultee}"
                         if child.development_consultee else "; nobody recorded as consulted yet")
    consent = {True: "Yes", False: "No", None: "Not recorded"}[data.consent_sought]
    agreed = cons.state.label
    if cons.finalised_at is not None:
        agreed += f", {short_date(cons.finalised_at.astimezone())}"
    pairs = [
        ("Case reference", data.case_ref), ("Family", data.family),
        ("Child", child.name), ("Age at this round", child.age_text),
        ("Date of birth", dob), ("NHS number", nhs),
        ("Sex / gender", child.sex_gender or "-"), ("Local case number", child.case_number or "-"),
        ("Round", f"{_date(rnd.held_on)}: {rnd.purpose}" + (f" ({rnd.title})" if rnd.title else "")),
        ("Round status", rnd.status),
        ("Agreed view", agreed), ("Next review", _date(rnd.next_review_on, "Not set")),
        ("Disability or delay", delay), ("Consent sought", consent),
        ("Items that apply", f"{len(data.comparison.rows)}"
         + (f" ({data.comparison.hidden_summary})" if data.comparison.hidden_summary else "")),
        ("Produced", f"{short_datetime(data.document.produced_on)} by {data.document.produced_by}"),
    ]
    from reportlab.platypus import Spacer

    return [key_value_table(pairs, _widths(0.16, 0.34, 0.16, 0.34)), Spacer(1, 6)]


def key_points(data: SummaryData) -> Story:
    counts = data.comparison.counts()
    min_steps = data.comparison.form.disagreement.min_steps
    story: Story = []
    if data.consensus.state is ConsensusState.DRAFT:
        story.append(_alert("DRAFT: the agreed view is not final yet, so this summary may still change."))
    elif data.consensus.state is ConsensusState.NONE:
        story.append(_alert("DRAFT: no agreed view has been recorded for this round; the answers below are each "
                            "professional's own."))
    for alert in data.drift:
        story.append(_alert(f"Drift. {alert.message}"))
    lines = [
        f"{_plural(counts['items'], 'item')} compared across {_plural(len(data.contributors), 'professional')}: "
        f"{_plural(counts['disagreements'], 'disagreement')} (answers {min_steps} or more steps apart), "
        f"{_plural(counts['information_differences'], 'information difference')} (one agency knows what another "
        f"does not), {counts['unresolved']} left unresolved.",
    ]
    nobody = sum(g.kind is GapKind.NOBODY_KNOWS for g in data.gaps)
    if nobody:
        lines.append(f"{_plural(nobody, 'item')} nobody could answer: see Information gaps for who could.")
    overdue = sum(a.overdue for a in data.actions)
    if overdue:
        lines.append(f"{_plural(overdue, 'plan action')} overdue.")
    if data.awaiting:
        lines.append("Sheets not yet submitted (not included): " + "; ".join(data.awaiting) + ".")
    for carer in data.carers:
        if carer.differs_on:
            lines.append(f"The parent/carer, {carer.name}, sees {_plural(len(carer.differs_on), 'item')} quite "
                         "differently from the professionals.")
    story += _bullets(lines)
    return story


def _bullets(lines: Sequence[str], style: str = "body") -> Story:
    from reportlab.platypus import ListFlowable, ListItem

    if not lines:
        return []
    return [ListFlowable([ListItem(_p(line, style), leftIndent=10) for line in lines], bulletType="bullet",
                         start="•", leftIndent=10, bulletFontSize=8)]


def contributors(data: SummaryData) -> Story:
    rows = [[rater_key(k), c.name, c.role, c.agency + (f", {c.organisation}" if c.organisation else ""),
             _date(c.submitted_on) + (f" (version {c.sheet_version})" if c.sheet_version > 1 else "")]
            for k, c in enumerate(data.contributors)]
    story = [*_h1("Who contributed"),
             table(["Key", "Professional", "Role", "Agency", "Sheet submitted"], rows,
                   _widths(0.06, 0.22, 0.22, 0.33, 0.17))]
    if data.awaiting:
        story.append(_p("Still in draft, so not included: " + "; ".join(data.awaiting) + ".", "note"))
    return story


def carers(data: SummaryData) -> Story:
    story = _h1("The parent's or carer's view")
    if not data.carers:
        return [*story, _p("No parent or carer view was recorded for this round.", "note")]
    story.append(_p("Recorded alongside the professionals' answers and shown beside them, but kept out of the "
                    "agreement figures and the disagreement flags.", "note"))
    for carer in data.carers:
        story.append(_h2(f"{carer.name}, submitted {_date(carer.submitted_on)}"))
        if carer.in_their_words:
            story.append(_p(carer.in_their_words, "quote"))
        if carer.differs_on:
            story.append(_p("Where their answer is far from the professionals' view:", "body"))
            story += _bullets(carer.differs_on, "small")
    return story


# --- profile, agreement ----------------------------------------------------------------------------------


def _counts_text(data: SummaryData, profile: SectionProfile) -> str:
    """E.g. "Yes 3, Borderline 2, Not known 1", in the scale's order."""
    return ", ".join(f"{label} {count}" for label, count in answer_counts(data.comparison.form, profile))


def profile(data: SummaryData, radar: Flowable | None) -> Story:
    comparison = data.comparison
    story = _h1("Profile by section")
    story.append(_p("Results are a profile by section, never one total: good care in one area can hide poor "
                    "care in another. " + comparison.index_label + ".", "note"))
    consensus = {p.section_id: p for p in comparison.consensus_profile or ()}
    change = {c.section_id: c for c in (data.change.sections if data.change else ())}
    rows, shade = [], {}
    for section in comparison.form.sections:
        values = [p.concern_index for sheet in comparison.professionals
                  for p in comparison.profiles[sheet.sheet_id] if p.section_id == section.id]
        known = [v for v in values if v is not None]
        spread = f"{min(known):.2f} to {max(known):.2f}" if known else "-"
        agreed = consensus.get(section.id)
        if agreed is None and section.id not in {r.section_id for r in comparison.rows}:
            continue
        moved = change.get(section.id)
        move = "-" if moved is None else moved.direction.label
        if moved is not None and moved.delta is not None and moved.direction is not Direction.NOT_COMPARABLE:
            move += f" ({moved.delta:+.2f})"
        title = section.title
        rows.append([title, str(agreed.applicable if agreed else ""), _counts_text(data, agreed) if agreed else "-",
                     _index(agreed.concern_index if agreed else None), spread, move])
        if moved is not None and moved.direction is Direction.WORSE:
            shade[len(rows) - 1] = "disagreement"
    story.append(table(["Section", "Items", "Agreed answers", "Agreed index", "Professionals' range",
                        "Since last round"], rows, _widths(0.25, 0.07, 0.30, 0.1, 0.14, 0.14), shade=shade))
    story += _per_professional(data)
    if radar is not None:
        story.append(radar)
    return story


def _per_professional(data: SummaryData) -> Story:
    """Each professional's own index by section beside the agreed one: whose view differs, and where."""
    comparison = data.comparison
    people = comparison.professionals
    if not people:
        return []
    consensus = {p.section_id: p.concern_index for p in comparison.consensus_profile or ()}
    by_sheet = {s.sheet_id: {p.section_id: p.concern_index for p in comparison.profiles[s.sheet_id]} for s in people}
    rows, compared = [], {r.section_id for r in comparison.rows}
    for section in comparison.form.sections:
        if section.context_only or section.id not in compared:
            continue
        rows.append([section.title, *(_index(by_sheet[s.sheet_id].get(section.id)) for s in people),
                     _index(consensus.get(section.id))])
    share = 0.72 / (len(people) + 1)
    return [_h2("Each professional's index by section"),
            table(["Section", *(f"{s.name} ({s.role})" for s in people), "Agreed"], rows,
                  _widths(0.28, *([share] * (len(people) + 1))))]


def _figure_cell(result: AgreementResult, index: int) -> str:
    if result.not_defined is not None or index >= len(result.figures):
        return "-"
    return result.figures[index].text


def agreement(data: SummaryData) -> Story:
    comparison = data.comparison
    story = _h1("Agreement between professionals")
    story.append(_p("Only real answers count: Not known, N/A, unanswered items and the parent/carer's view are "
                    "left out. Percent agreement is not corrected for chance; Krippendorff's alpha and Gwet's "
                    "AC2 are. Low figures are a prompt to discuss, not a judgement on anyone.", "note"))
    results = ([comparison.agreement] if comparison.agreement else []) + list(comparison.section_agreement.values())
    rows, bold = [], []
    for i, result in enumerate(results):
        if result.not_defined is not None:
            rows.append([result.scope, str(result.n_items_compared), str(result.n_raters),
                         f"not defined: {result.not_defined}", "", ""])
        else:
            rows.append([result.scope, str(result.n_items_compared), str(result.n_raters),
                         _figure_cell(result, 0), _figure_cell(result, 1), _figure_cell(result, 2)])
        if result.scope_id is None:
            bold.append(i)
    names = ["Percent agreement", "Krippendorff's alpha (ordinal)", "Gwet's AC2"]
    if comparison.agreement and comparison.agreement.figures:
        names = [f.name for f in comparison.agreement.figures]
    story.append(table(["Scope", "Items", "Raters", *names], rows, _widths(0.22, 0.07, 0.07, 0.14, 0.25, 0.25),
                       bold_rows=bold))
    if comparison.agreement is not None:
        if comparison.agreement.recommended:
            story.append(_p(f"Figure to read first for the whole round: {comparison.agreement.recommended}.",
                            "small"))
        if comparison.agreement.caution:
            story.append(_p("Caution: " + comparison.agreement.caution, "small"))
    return story


# --- the meeting -------------------------------------------------------------------------------------------


def meeting(data: SummaryData) -> Story:
    cons = data.consensus
    story = _h1("What the meeting agreed")
    if cons.state is ConsensusState.NONE:
        return [*story, _p("No agreed view has been recorded for this round yet.", "note")]
    story.append(_p(f"{cons.n_items_agreed} items have an agreed answer. Everyone's original answers are kept on "
                    "their sheets; where views differed, the agreed answer and why are below.", "note"))
    story.append(_h2("Unresolved disagreements"))
    if cons.unresolved:
        rows = [[f"{u.text}\n({u.section})", u.answers, f"{u.owner}, by {_date(u.escalate_by)}", u.note]
                for u in cons.unresolved]
        story.append(table(["Item", "Answers", "Escalation: who, by when", "Note"], rows,
                           _widths(0.38, 0.18, 0.2, 0.24), shade=dict.fromkeys(range(len(rows)), "unresolved")))
    else:
        story.append(_p("None: every disagreement was resolved at the meeting.", "body"))
    story.append(_h2("Disagreements resolved at the meeting"))
    big = [a for a in cons.agreed if a.disagreement]
    if big:
        rows = [[f"{a.text}\n({a.section})", a.answers, a.agreed, a.rationale or "-"] for a in big]
        story.append(table(["Item", "Professionals' answers", "Agreed", "Why"], rows,
                           _widths(0.40, 0.2, 0.1, 0.3), shade=dict.fromkeys(range(len(rows)), "disagreement")))
    else:
        steps = data.comparison.form.disagreement.min_steps
        story.append(_p(f"None: no answers were {steps} or more steps apart.", "body"))
    small = [a for a in cons.agreed if not a.disagreement]
    if small:
        from reportlab.platypus import CondPageBreak

        story.append(CondPageBreak(110))
        story.append(_h2("Smaller differences and other recorded reasons"))
        story.append(_p("Grouped by the reason the meeting recorded; the answers are in the table of every answer "
                        "at the end.", "note"))
        groups: dict[str, list[AgreedItem]] = {}
        for a in small:
            groups.setdefault(a.rationale or "No reason recorded", []).append(a)
        grouped: list[list[object]] = []
        shade: dict[int, str] = {}
        spans = []
        for reason, items in groups.items():
            spans.append(((0, len(grouped)), (-1, len(grouped))))
            shade[len(grouped)] = "muted"
            grouped.append([f"Reason recorded: {reason} ({_plural(len(items), 'item')})", "", ""])
            grouped += [[f"{a.text}\n({a.section})", a.answers, a.agreed] for a in items]
        story.append(table(["Item", "Professionals' answers", "Agreed"], grouped, _widths(0.6, 0.26, 0.14),
                           shade=shade, spans=spans))
    return story


def _cell_text(c: Cell) -> str:
    if not c.answered:
        return "(no answer)"
    return c.label


def evidence(data: SummaryData) -> Story:
    """The notes behind each disagreement, rater by rater: the meeting's discussion starts here."""
    comparison = data.comparison
    rows_in = [r for r in sort_rows(comparison.rows)
               if r.status is RowStatus.DISAGREEMENT or r.unresolved]
    story = _h1("Evidence behind the disagreements")
    if not rows_in:
        return [*story, _p("There were no disagreements.", "note")]
    story.append(_p("Each professional's answer with its note, source and recency; the parent/carer's answer "
                    "last, for reference.", "note"))
    from reportlab.platypus import KeepTogether

    for row in rows_in:
        rows = []
        for k, (column, c) in enumerate(zip(comparison.professionals, row.cells, strict=True)):
            rows.append([f"{rater_key(k)} {column.name}", _cell_text(c), c.evidence or "-", c.note or "-"])
        for column, c in zip(comparison.carers, row.carer_cells, strict=True):
            rows.append([f"{column.name} (parent/carer)", _cell_text(c), c.evidence or "-", c.note or "-"])
        agreed = f" Agreed: {row.consensus_label}." if row.consensus_label else ""
        heading = _p(f"<b>{text(row.item.text)}</b> ({text(row.section_title)}).{text(agreed)}", "small",
                     markup=True)
        shade = {len(comparison.professionals) + j: "muted" for j in range(len(comparison.carers))}
        story.append(KeepTogether([heading, table(["Rater", "Answer", "Evidence", "Note"], rows,
                                                  _widths(0.25, 0.12, 0.18, 0.45), shade=shade)]))
        story.append(_p("", "small"))
    return story


def gaps(data: SummaryData) -> Story:
    story = _h1("Information gaps")
    nobody = [g for g in data.gaps if g.kind is GapKind.NOBODY_KNOWS]
    some = [g for g in data.gaps if g.kind is GapKind.SOME_KNOW]
    if not data.gaps:
        return [*story, _p("Every item that applies was answered by at least one professional.", "note")]
    story.append(_p("Not known is an information gap, not a concern and not a No. Agencies in italics are not "
                    "yet involved in this case.", "note"))
    story.append(_h2(f"Nobody could answer ({len(nobody)})"))
    if nobody:
        rows = []
        for g in nobody:
            could = ", ".join(f"<i>{text(a)}</i>" if a in g.not_involved else text(a) for a in g.could_fill)
            rows.append([f"{g.text}\n({g.section})", _p(could or "-", "cell", markup=True)])
        story.append(table(["Item", "Who could usually answer"], rows, _widths(0.65, 0.35)))
    else:
        story.append(_p("None.", "body"))
    from reportlab.platypus import KeepTogether

    story.append(KeepTogether([
        _h2(f"Known to some professionals only ({len(some)} items): share before the next review"),
        _p("Each professional's Not known answers, and how many of them another professional could answer. The "
           "items are marked ? in the table of every answer at the end.", "note"),
        _not_known_by_rater(data),
    ]))
    return story


def _not_known_by_rater(data: SummaryData) -> Flowable:
    comparison = data.comparison
    rows = []
    for j, column in enumerate(comparison.professionals):
        mine = [r for r in comparison.rows if r.cells[j].is_not_known]
        others = [r for r in mine if any(c.is_rating for k, c in enumerate(r.cells) if k != j)]
        sections_hit = Counter(r.section_title for r in mine).most_common(3)
        where = "; ".join(f"{title} ({n})" for title, n in sections_hit) or "-"
        rows.append([rater_key(j), column.heading, str(len(mine)), str(len(others)), where])
    return table(["Key", "Professional", "Not known", "Another knew", "Mostly in"], rows,
                 _widths(0.06, 0.3, 0.1, 0.12, 0.42))


def free_texts(data: SummaryData) -> Story:
    story = _h1("Strengths")
    if data.strengths:
        for entry in data.strengths:
            story.append(_p(f"<b>{text(entry.author)}:</b> {text(entry.text)}", "body", markup=True))
    else:
        story.append(_p("No strengths were recorded. Record what is going well next to the concerns.", "note"))
    story += _h1("The child's voice: what the child says and shows")
    if data.child_voice:
        for entry in data.child_voice:
            story.append(_p(f"<b>{text(entry.author)}:</b> {text(entry.text)}", "body", markup=True))
    else:
        story.append(_p("Nothing was recorded in the child's own words. Ask at the next visit.", "note"))
    return story


# --- change and plan ---------------------------------------------------------------------------------------


def change(data: SummaryData, trend_chart: Flowable | None) -> Story:
    story = _h1("Change over time")
    if data.change is None:
        story.append(_p("This is the first round with an agreed view: change is shown from the next review.",
                        "note"))
    else:
        before = data.change.before.held_on
        story.append(_p(f"The agreed view at this round against the one of {_date(before)}. A section counts as "
                        f"improved or worse when its index moves by at least {data.change.threshold:.2f} (a tenth "
                        "of the index's range); smaller moves are shown as no change.", "note"))
        rows, shade = [], {}
        for c in data.change.sections:
            delta = "" if c.delta is None else f" ({c.delta:+.2f})"
            rows.append([c.title, _index(c.before), _index(c.after), c.direction.label + delta])
            if c.direction is Direction.WORSE:
                shade[len(rows) - 1] = "disagreement"
        story = [_together([*story, table(["Section", _date(before), _date(data.round.held_on), "Change"], rows,
                                          _widths(0.4, 0.17, 0.17, 0.26), shade=shade)])]
    if data.drift:
        story.append(_h2("Drift"))
        for alert in data.drift:
            story.append(_alert(alert.message))
    elif data.change is not None:
        story.append(_p("No drift: no section of concern has stayed without improvement for two or more reviews "
                        "while a plan was active.", "small"))
    if trend_chart is not None:
        story.append(trend_chart)
    return story


def siblings(data: SummaryData) -> Story:
    if data.siblings is None:
        return []
    sib = data.siblings
    story = _h1("Brothers and sisters side by side")
    story.append(_p("Every child in the family deserves the same level of assessment. Each child's agreed "
                    "concern index at this date (or their latest before it), with how many items were rated.",
                    "note"))
    header = ["Section"] + [f"{c.label}\n{c.age_text}, {_date(c.held_on)}" for c in sib.columns]
    rows = []
    for row in sib.rows:
        cells = []
        for c in row.cells:
            if c is None:
                cells.append("no agreed view")
            elif not c.applies:
                cells.append("does not apply")
            else:
                cells.append(f"{_index(c.concern_index)} ({c.rated} rated)")
        rows.append([row.title, *cells])
    n = len(sib.columns)
    story.append(table(header, rows, _widths(0.34, *([0.66 / n] * n))))
    return [_together(story)]


def _together(story: Story) -> Flowable:
    """Keep a short block (heading, note, small table) on one page."""
    from reportlab.platypus import KeepTogether

    return KeepTogether(story)


def plan(data: SummaryData) -> Story:
    story = _h1("The plan")
    if data.plan_active is None:
        story.append(_p("No plan was recorded at this round.", "note"))
    else:
        story.append(_p(f"Plan {'active' if data.plan_active else 'not active'}.", "body"))
    if data.previous_targets:
        story.append(_h2("Targets set at the previous round: where they are now"))
        rows = [[f"{t.text}\n({t.section})", t.baseline, t.target, t.now or "-", _date(t.review_on)]
                for t in data.previous_targets]
        story.append(table(["Item", "Baseline", "Target", "Now", "Review by"], rows,
                           _widths(0.5, 0.12, 0.12, 0.12, 0.14)))
    if data.targets:
        story.append(_h2("Targets set at this round"))
        rows = [[f"{t.text}\n({t.section})", t.baseline, t.target, _date(t.review_on)] for t in data.targets]
        story.append(table(["Item", "Baseline", "Target", "Review by"], rows, _widths(0.58, 0.14, 0.14, 0.14)))
    if data.actions:
        story.append(_h2("Actions"))
        rows, shade = [], {}
        for a in data.actions:
            done = _date(a.done_on) if a.done_on else ("OVERDUE" if a.overdue else "open")
            rows.append([a.description, f"{a.owner} ({a.agency})", _date(a.due_on), done])
            if a.overdue:
                shade[len(rows) - 1] = "disagreement"
        story.append(table(["Action", "Owner", "Due", "Done"], rows, _widths(0.5, 0.26, 0.12, 0.12), shade=shade))
    story.append(_p(f"<b>Next review:</b> {text(_date(data.round.next_review_on, 'not set'))}", "body",
                    markup=True))
    return story


# --- the full grid and sign-off ------------------------------------------------------------------------------


def _short(c: Cell) -> str:
    if not c.answered:
        return ""
    if c.missing is MissingKind.NOT_KNOWN:
        return "NK"
    if c.missing is MissingKind.NOT_APPLICABLE:
        return "N/A"
    return c.label if len(c.label) <= 5 else c.label[:4] + "."


def _marks(row: ComparisonRow) -> str:
    marks = []
    if row.status is RowStatus.DISAGREEMENT:
        marks.append(DISAGREE_MARK)
    if row.information_difference:
        marks.append(INFO_MARK)
    if row.unresolved:
        marks.append(UNRESOLVED_MARK)
    if row.carer_differs:
        marks.append(CARER_MARK)
    return " ".join(marks)


def rater_key_line(data: SummaryData) -> Flowable:
    comparison = data.comparison
    key = "; ".join(f"{rater_key(k)} = {c.heading}" for k, c in enumerate(comparison.professionals))
    return _p(f"Key: {key}.", "small")


def full_grid(data: SummaryData) -> Story:
    comparison = data.comparison
    n_pro, n_carer = len(comparison.professionals), len(comparison.carers)
    story = _h1("Every answer, item by item")
    key = "; ".join(f"{rater_key(k)} = {c.heading}" for k, c in enumerate(comparison.professionals))
    carers_key = "; ".join(f"C{k + 1} = {c.name} (parent/carer)" for k, c in enumerate(comparison.carers))
    story.append(_p(f"{key}{'; ' + carers_key if carers_key else ''}.", "small"))
    story.append(_p(f"Marks: {DISAGREE_MARK} disagreement, {INFO_MARK} information difference (Not known beside a "
                    f"real answer), {UNRESOLVED_MARK} unresolved, {CARER_MARK} parent/carer far from the "
                    "professionals. NK = Not known; shortened labels end with a full stop. Shaded rows are "
                    "disagreements.", "small"))
    total = frame_width()
    pro_w = min(30.0, (total * 0.45) / max(n_pro, 1))
    fixed = 18 + pro_w * n_pro + 30 * n_carer + 50
    widths = [18.0, total - fixed, *([pro_w] * n_pro), *([30.0] * n_carer), 50.0]
    header = ["", "Item", *(rater_key(k) for k in range(n_pro)), *(f"C{k + 1}" for k in range(n_carer)),
              "Agreed"]
    rows: list[list[object]] = []
    shade: dict[int, str] = {}
    spans = []
    for section in comparison.sections():
        spans.append(((0, len(rows)), (-1, len(rows))))
        shade[len(rows)] = "muted"
        title = section.title + (" (context)" if section.context_only and "context" not in section.title.lower()
                                 else "")
        rows.append([title, *([""] * (len(header) - 1))])
        for row in section.rows:
            if row.status is RowStatus.DISAGREEMENT or row.unresolved:
                shade[len(rows)] = "disagreement"
            rows.append([_marks(row), row.item.text, *(_short(c) for c in row.cells),
                         *(_short(c) for c in row.carer_cells), row.consensus_label or "-"])
    story.append(table(header, rows, widths, shade=shade, spans=spans,
                       bold_rows=[i for i, r in enumerate(rows) if r[1] == ""]))
    return story


def sign_off(data: SummaryData) -> Story:
    from reportlab.platypus import KeepTogether, Spacer

    block: Story = [*_h1("Sign-off"),
                    _p("This summary is a working copy produced by neglect_tool. File it in the child's record, "
                       "then delete local copies in line with your retention policy. Marked "
                       f"{data.document.marking}: do not leave it unattended or send it unencrypted.", "note"),
                    Spacer(1, 4)]
    rows = [["Chair of the meeting", "", "Signature", "", "Date", ""],
            ["Lead professional", "", "Signature", "", "Date", ""],
            ["Filed in the record by", "", "Record reference", "", "Date", ""]]
    block.append(_fill_in(rows, _widths(0.17, 0.25, 0.13, 0.24, 0.06, 0.15)))
    return [KeepTogether(block)]


def _fill_in(rows: list[list[str]], widths: list[float]) -> Flowable:
    """Labels with ruled blanks to write on."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), "NTSans"), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 12),
    ]
    for column in (1, 3, 5):
        commands.append(("LINEBELOW", (column, 0), (column, -1), 0.6, colors.black))
    return Table(rows, colWidths=widths, style=TableStyle(commands), hAlign="LEFT")
