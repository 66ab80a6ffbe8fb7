"""The encrypted store at scale: build a realistic synthetic store, then time what a user waits for.

    python -m benchmarks.store_scale [--children N] [--sheets-per-child M] [--out DIR] [--store PATH]

Defaults: 10,000 children in families of 1-4, 5 submitted sheets per child (50,000 sheets of 83 answers,
some with notes) spread over 1-3 rounds per child. Everything is written through the real repositories
with the real schema and the production KDF (so the audit trail is written too); the only build-time
shortcut is that many repository calls share one transaction (see _BatchingDatabase), which changes the
commit boundaries, never the rows.

Measured through the store's public API, on the built file:
- unlock: Store.open with the production Argon2id KDF;
- case search by family-name prefix, and as typed (two words, a reference in lower case) (target: p95 <= 20 ms);
- open a case: family + children + all rounds + all sheets with answers (target: p95 <= 50 ms);
- insert one ~80-answer sheet (one transaction), submit it, and save one answer (the editor's autosave).
Prints a table and writes store_scale.json to --out. Only synthetic data; the store goes in a temp folder
and is deleted afterwards, unless --store PATH is given (then it is kept, and measured again on later runs).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from neglect_tool.domain import (
    Agency,
    Answer,
    AssessmentRound,
    Child,
    EvidenceSource,
    Family,
    Professional,
    RaterKind,
    RatingSheet,
    Recency,
    RoundPurpose,
    RoundStatus,
    SheetStatus,
)
from neglect_tool.domain.nhs import nhs_check_digit
from neglect_tool.forms import FormDefinition, MissingKind, get_form
from neglect_tool.storage.connection import Connection, EncryptedDatabase
from neglect_tool.storage.keys import STORE_KDF
from neglect_tool.storage.store import Store

from ._common import Timing, machine, print_table, time_ms, write_json

PASSPHRASE = "scale-benchmark-synthetic-only"
FORM_ID = "childcare-development-checklist"
SEARCH_TARGET_MS = 20.0
OPEN_CASE_TARGET_MS = 50.0
FAMILIES_PER_TRANSACTION = 25
TODAY = dt.date(2026, 6, 1)

# Invented name parts: the families are combinations, so prefixes are spread the way real surnames are.
_NAME_STARTS = (
    "Ash", "Bel", "Bram", "Cal", "Dar", "El", "Fen", "Gar", "Hal", "Ing", "Kel", "Lan", "Mar", "Nor", "Oak",
    "Pen", "Quin", "Ros", "Sel", "Thorn", "Ul", "Ver", "Wel", "Yar", "Brig", "Chal", "Dun", "Ely", "Frost",
    "Hart", "Lock", "Mel", "Pry", "Stan", "Tal", "Whit", "Cor", "Ab", "Ged", "Ren",
)
_NAME_ENDS = (
    "by", "den", "ford", "ham", "ley", "ton", "well", "wick", "wood", "more", "field", "gate", "holt",
    "stead", "worth", "combe", "ridge", "shaw", "brook", "croft",
)
_GIVEN = (
    "Lily", "Noah", "Evie", "Kai", "Maya", "Jayden", "Rosie", "Oliver", "Amelia", "Isla", "Leo", "Freya",
    "Arlo", "Ivy", "Theo", "Ava", "Finn", "Mia", "Alfie", "Esme", "Zara", "Ezra", "Ruby", "Harvey", "Nia",
    "Reggie", "Poppy", "Tommy", "Aisha", "Bilal", "Sofia", "Yusuf", "Maisie", "Jude", "Willow", "Ronan",
    "Phoebe", "Caleb", "Hana", "Otis", "Lola", "Ibrahim", "Daisy", "Riley", "Elsie", "Max", "Layla", "Sonny",
)
_NOTES = (
    "Seen on an unannounced visit; the same concern was raised at the last core group.",
    "Mother said this has been hard since the move; no change seen since the last review.",
    "Child told me about it without prompting during a one-to-one session.",
    "Two appointments this term where the child was not brought; reasons not given.",
    "Consistently good over the last month of visits.",
    "Carer talked through the routine and it matched what I saw.",
    "Not something I have been able to see; the school would know more.",
)
_FREE_TEXT = {
    "strengths": "Children are warmly greeted after school; the eldest is proud of her reading and shows it.",
    "child_voice": "Said the flat is cold at night and that they like staying at their aunt's at weekends.",
    "carer_view": "Feels things have been better since the new tenancy officer got involved; wants help.",
}
_OPTION_WEIGHTS = {"yes": 0.55, "borderline": 0.2, "no": 0.1, "not_known": 0.12, "na": 0.03}


class _BatchingDatabase(EncryptedDatabase):
    """Build-time only: many repository writes share one transaction (one fsync per batch instead of one
    per call). The repositories run unchanged, so the rows and audit entries are exactly theirs."""

    _batch_conn: Connection | None = None

    def write(self) -> AbstractContextManager[Connection]:  # type: ignore[override]
        if self._batch_conn is not None:
            return contextlib.nullcontext(self._batch_conn)
        return super().write()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        with super().write() as conn:
            self._batch_conn = conn
            try:
                yield
            finally:
                self._batch_conn = None


@dataclass
class BuildStats:
    families: int = 0
    children: int = 0
    rounds: int = 0
    sheets: int = 0
    answers: int = 0
    notes: int = 0
    seconds: float = 0.0
    family_ids: list[uuid.UUID] = field(default_factory=list)
    family_names: list[str] = field(default_factory=list)
    round_ids: list[uuid.UUID] = field(default_factory=list)


class _Generator:
    """Deterministic synthetic casework (seeded)."""

    def __init__(self, rng: random.Random, form: FormDefinition, professionals: list[Professional]) -> None:
        self.rng = rng
        self.form = form
        self.professionals = professionals
        self.item_ids = [item.id for item in form.items()]
        codes = {o.code for o in form.scale_for(next(iter(form.items()))).options}
        self.options = [c for c in _OPTION_WEIGHTS if c in codes]
        self.weights = [_OPTION_WEIGHTS[c] for c in self.options]
        self.not_known = {o.code for o in form.scale_for(next(iter(form.items()))).options
                          if o.missing is MissingKind.NOT_KNOWN}
        self.free_text_ids = [f.id for f in form.free_text if f.id in _FREE_TEXT]

    def family_name(self) -> str:
        return self.rng.choice(_NAME_STARTS) + self.rng.choice(_NAME_ENDS)

    def nhs_number(self) -> str | None:
        if self.rng.random() < 0.15:
            return None
        while True:  # the 999 range is never issued to real people
            first = "999" + "".join(str(self.rng.randrange(10)) for _ in range(6))
            check = nhs_check_digit(first)
            if check is not None:
                return first + str(check)

    def child(self, family: Family, no: int) -> Child:
        surname = family.family_name if self.rng.random() < 0.8 else self.family_name()
        born = TODAY - dt.timedelta(days=self.rng.randrange(30, 17 * 365))
        return Child(family_id=family.id, given_names=self.rng.choice(_GIVEN), family_name=surname,
                     date_of_birth=born, sex_gender=self.rng.choice(("Female", "Male", "")),
                     case_number=f"{family.case_ref}-{no}", nhs_number=self.nhs_number(),
                     disability_or_delay=self.rng.random() < 0.1)

    def rounds(self, child: Child, sheets: int) -> list[tuple[AssessmentRound, int]]:
        """1-3 rounds, 91 days apart and ending near TODAY, sharing out `sheets` (at least one each)."""
        count = min(sheets, self.rng.randint(max(1, math.ceil(sheets / 4)), max(1, math.ceil(sheets / 2))))
        cuts = sorted(self.rng.sample(range(1, sheets), count - 1)) if count > 1 else []
        shares = [b - a for a, b in zip([0, *cuts], [*cuts, sheets], strict=True)]
        result = []
        for no, share in enumerate(shares):
            held = max(TODAY - dt.timedelta(days=91 * (count - 1 - no) + self.rng.randrange(0, 20)),
                       child.date_of_birth)
            latest = no == count - 1
            rnd = AssessmentRound(
                child_id=child.id, held_on=held,
                purpose=RoundPurpose.INITIAL_CONFERENCE if no == 0 else RoundPurpose.REVIEW_CONFERENCE,
                status=RoundStatus.OPEN if latest else RoundStatus.CLOSED,
                next_review_on=held + dt.timedelta(days=91), title=f"Round {no + 1}",
            )
            result.append((rnd, share))
        return result

    def sheet(self, rnd: AssessmentRound, rater: Professional | None, *, submitted: bool) -> RatingSheet:
        at = dt.datetime.combine(rnd.held_on - dt.timedelta(days=2), dt.time(15, 0), tzinfo=dt.UTC)
        answers: dict[str, Answer] = {}
        for n, item_id in enumerate(self.item_ids):
            option = self.rng.choices(self.options, self.weights)[0]
            note = self.rng.choice(_NOTES) if self.rng.random() < 0.15 else ""
            answers[item_id] = Answer(
                item_id, option, note=note,
                source=self.rng.choice(list(EvidenceSource)) if note and option not in self.not_known else None,
                recency=Recency.RECENT if note else None, answered_at=at - dt.timedelta(minutes=90 - n),
            )
        return RatingSheet(
            round_id=rnd.id,
            rater_kind=RaterKind.PROFESSIONAL if rater else RaterKind.PARENT_CARER,
            professional_id=rater.id if rater else None, rater_name="" if rater else "Parent/carer (mother)",
            form_id=self.form.id, form_version=self.form.version, answers=answers,
            free_text={k: _FREE_TEXT[k] for k in self.free_text_ids},
            status=SheetStatus.SUBMITTED if submitted else SheetStatus.DRAFT,
            submitted_at=at if submitted else None,
        )


def _professionals(rng: random.Random) -> list[Professional]:
    roles = ((Agency.HEALTH, "Health visitor"), (Agency.EDUCATION, "Class teacher"),
             (Agency.EARLY_YEARS, "Nursery key worker"), (Agency.SOCIAL_CARE, "Social worker"),
             (Agency.POLICE, "Police officer"), (Agency.HOUSING, "Housing officer"),
             (Agency.VOLUNTARY, "Family support worker"))
    result = []
    for n in range(80):
        agency, role = roles[n % len(roles)]
        name = f"{rng.choice(_GIVEN)} {rng.choice(_NAME_STARTS)}{rng.choice(_NAME_ENDS)}"
        result.append(Professional(name=name, role=role, agency=agency, organisation="Northbridge (synthetic)"))
    return result


def build(path: Path, children: int, sheets_per_child: int, seed: int) -> BuildStats:
    """Create the store and fill it; returns what was written (counts and ids for sampling)."""
    rng = random.Random(seed)
    form = get_form(FORM_ID)
    owner = Professional(name="Morgan Ellery", role="Social worker", agency=Agency.SOCIAL_CARE)
    stats = BuildStats()
    start = time.perf_counter()
    Store.create(path, PASSPHRASE, owner=owner, kdf=STORE_KDF).close()
    db = _BatchingDatabase.open(path, PASSPHRASE, kdf=STORE_KDF)
    assert isinstance(db, _BatchingDatabase)  # open() is a classmethod: it builds the subclass
    store = Store(db)
    try:
        professionals = _professionals(rng)
        gen = _Generator(rng, form, professionals)
        with db.batch():
            for p in professionals:
                store.professionals.add(p)
        next_report = 0.1
        while stats.children < children:
            with db.batch():
                for _ in range(FAMILIES_PER_TRANSACTION):
                    if stats.children >= children:
                        break
                    _add_family(store, gen, stats, owner, min(rng.choices((1, 2, 3, 4), (35, 30, 20, 15))[0],
                                                              children - stats.children), sheets_per_child)
            if stats.children >= next_report * children:
                print(f"  built {stats.children:,} children, {stats.sheets:,} sheets "
                      f"({time.perf_counter() - start:.0f} s)", flush=True)
                next_report += 0.1
    finally:
        store.close()
    stats.seconds = time.perf_counter() - start
    return stats


def _add_family(store: Store, gen: _Generator, stats: BuildStats, owner: Professional, kids: int,
                sheets_per_child: int) -> None:
    stats.families += 1
    family = Family(case_ref=f"NB-{2020 + stats.families % 7}-{stats.families:06d}",
                    family_name=gen.family_name(), consent_sought=True)
    store.families.add(family)
    team = gen.rng.sample(gen.professionals, 4)
    for p in team:
        store.families.involve(family.id, p.id)
    stats.family_ids.append(family.id)
    stats.family_names.append(family.family_name)
    for no in range(1, kids + 1):
        child = gen.child(family, no)
        store.children.add(child)
        stats.children += 1
        for rnd, share in gen.rounds(child, sheets_per_child):
            store.rounds.add(rnd)
            stats.rounds += 1
            stats.round_ids.append(rnd.id)
            raters: list[Professional | None] = [owner, *team, None]
            for n in range(share):
                sheet = gen.sheet(rnd, raters[n % len(raters)], submitted=True)
                store.sheets.create(sheet)
                stats.sheets += 1
                stats.answers += len(sheet.answers)
                stats.notes += sum(1 for a in sheet.answers.values() if a.note)


def _open_case(store: Store, family_id: uuid.UUID) -> int:
    """What the case screen loads: the family, its children, their rounds, every sheet with its answers."""
    store.families.get(family_id)
    answers = 0
    for child in store.children.for_family(family_id):
        for rnd in store.rounds.for_child(child.id):
            answers += sum(len(s.answers) for s in store.sheets.for_round(rnd.id))
    return answers


def _open_case_bare(store: Store, family_id: uuid.UUID) -> int:
    """The floor: the same rows read by plain SQL on the same SQLCipher connection, no domain objects."""
    with store.db.read() as conn:
        conn.execute("SELECT * FROM families WHERE id = ?", (str(family_id),)).fetchall()
        answers = 0
        for (child_id,) in conn.execute("SELECT id FROM children WHERE family_id = ?", (str(family_id),)).fetchall():
            conn.execute("SELECT * FROM children WHERE id = ?", (child_id,)).fetchall()
            for (round_id,) in conn.execute("SELECT id FROM rounds WHERE child_id = ?", (child_id,)).fetchall():
                for (sheet_no,) in conn.execute("SELECT sheet_no FROM sheets WHERE round_id = ?",
                                                (round_id,)).fetchall():
                    answers += len(conn.execute("SELECT * FROM answers WHERE sheet_no = ?", (sheet_no,)).fetchall())
    return answers


def measure(path: Path, stats: BuildStats, seed: int) -> tuple[list[Timing], dict[str, Any]]:
    rng = random.Random(seed + 1)
    extra: dict[str, Any] = {}
    unlock = []
    for _ in range(5):
        start = time.perf_counter()
        store = Store.open(path, PASSPHRASE)
        unlock.append((time.perf_counter() - start) * 1000)
        store.close()
    timings = [Timing("unlock (Store.open, production Argon2id)", tuple(unlock))]

    store = Store.open(path, PASSPHRASE)
    try:
        prefixes = []
        for _ in range(200):
            name = rng.choice(stats.family_names)
            prefix = name[: rng.randint(2, 5)]
            prefixes.append(prefix.lower() if rng.random() < 0.5 else prefix)
        hits: list[int] = []
        search = []
        for prefix in prefixes:
            start = time.perf_counter()
            found = store.families.search(prefix)
            search.append((time.perf_counter() - start) * 1000)
            hits.append(len(found))
        timings.append(Timing("case search, family-name prefix (limit 50)", tuple(search), SEARCH_TARGET_MS,
                              f"200 prefixes of 2-5 letters; {sum(hits) / len(hits):.1f} cases returned "
                              f"on average, {sum(1 for h in hits if h == 50)} hit the limit of 50"))

        typed_rng = random.Random(seed + 2)  # its own stream: the samples below stay as they were
        cases = typed_rng.sample(store.families.list_summaries(), 100)
        queries = [f"{c.child_names[0].split()[0][:3]} {c.family_name[:4]}" for c in cases[:50] if c.child_names]
        queries += [c.case_ref.lower()[: typed_rng.randint(4, len(c.case_ref))] for c in cases[50:]]
        typed = []
        for query in queries:
            start = time.perf_counter()
            store.families.search(query)
            typed.append((time.perf_counter() - start) * 1000)
        timings.append(Timing("case search, as typed (two words; ref in lower case)", tuple(typed),
                              SEARCH_TARGET_MS, f"{len(queries)} queries: given-name and family-name prefixes "
                              "together, and case references typed in lower case"))

        loaded: list[int] = []
        open_case = []
        bare_case = []
        sample = rng.sample(stats.family_ids, min(200, len(stats.family_ids)))
        for n, family_id in enumerate(sample):  # app and floor interleaved, each going first half the time
            for which in ((0, 1) if n % 2 else (1, 0)):
                start = time.perf_counter()
                if which:
                    loaded.append(_open_case(store, family_id))
                    open_case.append((time.perf_counter() - start) * 1000)
                else:
                    _open_case_bare(store, family_id)
                    bare_case.append((time.perf_counter() - start) * 1000)
        timings.append(Timing("open a case (family+children+rounds+sheets)", tuple(open_case),
                              OPEN_CASE_TARGET_MS,
                              f"200 random cases; {sum(loaded) / len(loaded):.0f} answers loaded on average, "
                              f"at most {max(loaded)}"))
        timings.append(Timing("floor: the same rows by bare SQLCipher SQL", tuple(bare_case),
                              note="same connection and cases, plain SELECTs, no domain objects, interleaved "
                                   "with the app's reads"))
        extra["ratio_open_case_to_bare_sql"] = statistics.median(open_case) / max(statistics.median(bare_case),
                                                                                   1e-6)

        gen = _Generator(rng, get_form(FORM_ID), store.professionals.list_all())
        insert, submit, save_answer = [], [], []
        for round_id in rng.sample(stats.round_ids, 50):
            rnd = store.rounds.get(round_id)
            sheet = gen.sheet(rnd, rng.choice(gen.professionals), submitted=False)
            insert.append(time_ms(partial(store.sheets.create, sheet)))
            answer = Answer(gen.item_ids[0], "borderline", note="Changed after the home visit.",
                            answered_at=dt.datetime.now(dt.UTC))
            save_answer.append(time_ms(partial(store.sheets.save_answer, sheet.id, answer)))
            submit.append(time_ms(partial(store.sheets.submit, sheet.id)))
        timings.append(Timing(f"insert one sheet ({len(gen.item_ids)} answers, 1 txn)", tuple(insert),
                              note="SheetRepository.create of a draft, synchronous=FULL (fsync per commit)"))
        timings.append(Timing("save one answer (editor autosave)", tuple(save_answer)))
        timings.append(Timing("submit a sheet", tuple(submit), note="loads the sheet, then one write"))

        list_all = [time_ms(store.families.list_summaries) for _ in range(10)]
        timings.append(Timing(f"case list, all {stats.families:,} summaries", tuple(list_all)))
        start = time.perf_counter()
        report = store.audit.verify()
        extra["audit_verify"] = {"entries": report.entries_checked, "ok": report.ok,
                                 "seconds": round(time.perf_counter() - start, 3)}
    finally:
        store.close()
    return timings, extra


def _save_stats(path: Path, stats: BuildStats) -> None:
    """Keep what was built beside a kept store (ids and invented names only), so --store can reuse it."""
    data = {**asdict(stats), "family_ids": [str(i) for i in stats.family_ids],
            "round_ids": [str(i) for i in stats.round_ids]}
    path.with_name(path.name + ".build.json").write_text(json.dumps(data), encoding="utf-8")


def _load_stats(path: Path) -> BuildStats:
    data = json.loads(path.with_name(path.name + ".build.json").read_text(encoding="utf-8"))
    data["family_ids"] = [uuid.UUID(i) for i in data["family_ids"]]
    data["round_ids"] = [uuid.UUID(i) for i in data["round_ids"]]
    return BuildStats(**data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store_scale", description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--sheets-per-child", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--seed", type=int, default=1125)
    parser.add_argument("--store", type=Path, default=None,
                        help="build the store at PATH and keep it, or measure it again if this script built it "
                             "there before (default: a temp folder, deleted afterwards)")
    args = parser.parse_args(argv)
    if args.children < 1 or args.sheets_per_child < 1:
        parser.error("--children and --sheets-per-child must be at least 1")

    folder = None if args.store else Path(tempfile.mkdtemp(prefix="neglect-scale-"))
    path = args.store or (folder / "scale.ntdb" if folder else Path())
    try:
        if path.exists():
            stats = _load_stats(path)
            print(f"Measuring the store built earlier at {path} ({stats.children:,} children) ...", flush=True)
        else:
            print(f"Building {args.children:,} children x {args.sheets_per_child} sheets in {path} ...", flush=True)
            stats = build(path, args.children, args.sheets_per_child, args.seed)
            if args.store:
                _save_stats(path, stats)
        size_mb = path.stat().st_size / 1e6
        timings, extra = measure(path, stats, args.seed)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    print(f"\nBuilt in {stats.seconds:.1f} s: {stats.families:,} families, {stats.children:,} children, "
          f"{stats.rounds:,} rounds, {stats.sheets:,} submitted sheets, {stats.answers:,} answers "
          f"({stats.notes:,} with notes). File: {size_mb:.1f} MB.")
    audit_info = extra["audit_verify"]
    print(f"Audit chain: {audit_info['entries']:,} entries verified in {audit_info['seconds']:.2f} s "
          f"(ok={audit_info['ok']}).")
    print_table("Store at scale (milliseconds)", timings)
    print(f"\nOpen a case / the same rows by bare SQLCipher SQL = {extra['ratio_open_case_to_bare_sql']:.2f}x")
    payload = {
        "benchmark": "store_scale",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "parameters": {"children": stats.children, "sheets_per_child": stats.sheets // stats.children,
                       "seed": args.seed, "kdf": STORE_KDF.describe(), "form": FORM_ID},
        "build": {"seconds": round(stats.seconds, 1), "families": stats.families, "children": stats.children,
                  "rounds": stats.rounds, "sheets": stats.sheets, "answers": stats.answers,
                  "answers_with_notes": stats.notes},
        "file_mb": round(size_mb, 1),
        "audit_verify": audit_info,
        "timings": {t.name: t.as_dict() for t in timings},
        "ratio_open_case_to_bare_sql": round(extra["ratio_open_case_to_bare_sql"], 3),
    }
    written = write_json(args.out, "store_scale.json", payload)
    print(f"\nJSON written to {written}")
    if args.store:
        print(f"Store kept at {path} (passphrase: {PASSPHRASE}; synthetic data only)")
    missed = [t.name for t in timings if t.met is False]
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
