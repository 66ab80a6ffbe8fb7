"""The store's schema as numbered migrations. `PRAGMA user_version` records the last one applied.

Each migration is a tuple of single statements (never executescript, which commits on its own) run in one
transaction by neglect_tool.storage.migrate. Never edit a released migration: add the next number.

Integrity rules live in the database as well as in Python:
- submitted rating sheets, their answers and free text cannot be updated or deleted (triggers); the one
  exception is erasing a whole case, which sets a row in `erasure_permit` inside the same transaction;
- a final consensus cannot change;
- the audit trail is append-only (no UPDATE, no DELETE, ever).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


def _locked_children(table: str, key: str = "sheet_no") -> tuple[str, ...]:
    """Triggers that freeze rows of `table` once their sheet is submitted."""
    parent = f"(SELECT status FROM sheets WHERE sheet_no = {{row}}.{key})"
    return (
        f"""CREATE TRIGGER {table}_frozen_insert BEFORE INSERT ON {table}
            WHEN {parent.format(row="NEW")} = 'submitted'
            BEGIN SELECT RAISE(ABORT, 'submitted rating sheets are immutable'); END""",
        f"""CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table}
            WHEN {parent.format(row="OLD")} = 'submitted'
            BEGIN SELECT RAISE(ABORT, 'submitted rating sheets are immutable'); END""",
        f"""CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table}
            WHEN {parent.format(row="OLD")} = 'submitted' AND NOT EXISTS (SELECT 1 FROM erasure_permit)
            BEGIN SELECT RAISE(ABORT, 'submitted rating sheets are immutable'); END""",
    )


V1_CORE = Migration(
    1,
    "families, children, professionals, rounds, sheets, consensus, plan, audit trail",
    (
        """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID""",
        """CREATE TABLE families (
            id TEXT PRIMARY KEY,
            case_ref TEXT NOT NULL UNIQUE,
            family_name TEXT NOT NULL,
            family_name_fold TEXT NOT NULL,
            address_note TEXT NOT NULL DEFAULT '',
            consent_sought INTEGER,
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE INDEX families_name ON families (family_name_fold)""",
        """CREATE TABLE children (
            id TEXT PRIMARY KEY,
            family_id TEXT NOT NULL REFERENCES families (id) ON DELETE CASCADE,
            given_names TEXT NOT NULL,
            family_name TEXT NOT NULL,
            given_fold TEXT NOT NULL,
            family_fold TEXT NOT NULL,
            date_of_birth TEXT NOT NULL,
            sex_gender TEXT NOT NULL DEFAULT '',
            case_number TEXT NOT NULL DEFAULT '',
            nhs_number TEXT,
            disability_or_delay INTEGER NOT NULL DEFAULT 0,
            development_consultee TEXT NOT NULL DEFAULT '',
            conditions TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE INDEX children_family ON children (family_id)""",
        """CREATE INDEX children_given ON children (given_fold)""",
        """CREATE INDEX children_family_name ON children (family_fold)""",
        """CREATE INDEX children_nhs ON children (nhs_number) WHERE nhs_number IS NOT NULL""",
        """CREATE INDEX children_case_number ON children (case_number)""",
        """CREATE TABLE professionals (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            agency TEXT NOT NULL,
            organisation TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE family_professionals (
            family_id TEXT NOT NULL REFERENCES families (id) ON DELETE CASCADE,
            professional_id TEXT NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
            PRIMARY KEY (family_id, professional_id)) WITHOUT ROWID""",
        """CREATE INDEX family_professionals_prof ON family_professionals (professional_id)""",
        """CREATE TABLE rounds (
            id TEXT PRIMARY KEY,
            child_id TEXT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
            held_on TEXT NOT NULL,
            purpose TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'meeting_held', 'closed')),
            next_review_on TEXT,
            title TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE INDEX rounds_child ON rounds (child_id, held_on)""",
        """CREATE TABLE sheets (
            sheet_no INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
            rater_kind TEXT NOT NULL CHECK (rater_kind IN ('professional', 'parent_carer')),
            professional_id TEXT REFERENCES professionals (id),
            rater_name TEXT NOT NULL DEFAULT '',
            form_id TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
            submitted_at TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            supersedes TEXT REFERENCES sheets (id),
            amendment_reason TEXT NOT NULL DEFAULT '',
            content_hash TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (status = 'draft' OR submitted_at IS NOT NULL))""",
        """CREATE INDEX sheets_round ON sheets (round_id)""",
        """CREATE INDEX sheets_professional ON sheets (professional_id)""",
        """CREATE TABLE answers (
            sheet_no INTEGER NOT NULL REFERENCES sheets (sheet_no) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            option TEXT,
            note TEXT NOT NULL DEFAULT '',
            source TEXT,
            recency TEXT,
            answered_at TEXT,
            PRIMARY KEY (sheet_no, item_id)) WITHOUT ROWID""",
        """CREATE TABLE sheet_texts (
            sheet_no INTEGER NOT NULL REFERENCES sheets (sheet_no) ON DELETE CASCADE,
            section_id TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (sheet_no, section_id)) WITHOUT ROWID""",
        """CREATE TABLE consensus (
            id TEXT PRIMARY KEY,
            round_id TEXT NOT NULL UNIQUE REFERENCES rounds (id) ON DELETE CASCADE,
            form_id TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
            finalised_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE consensus_items (
            consensus_id TEXT NOT NULL REFERENCES consensus (id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            agreed_option TEXT,
            rationale TEXT NOT NULL DEFAULT '',
            unresolved INTEGER NOT NULL DEFAULT 0,
            escalation_owner TEXT NOT NULL DEFAULT '',
            escalate_by TEXT,
            PRIMARY KEY (consensus_id, item_id)) WITHOUT ROWID""",
        """CREATE TABLE plans (
            id TEXT PRIMARY KEY,
            round_id TEXT NOT NULL UNIQUE REFERENCES rounds (id) ON DELETE CASCADE,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE plan_targets (
            id TEXT PRIMARY KEY,
            plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            baseline_option TEXT,
            target_option TEXT NOT NULL,
            review_on TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE INDEX plan_targets_plan ON plan_targets (plan_id)""",
        """CREATE TABLE plan_actions (
            id TEXT PRIMARY KEY,
            plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            description TEXT NOT NULL,
            owner TEXT NOT NULL,
            agency TEXT NOT NULL,
            due_on TEXT NOT NULL,
            done_on TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE INDEX plan_actions_plan ON plan_actions (plan_id)""",
        # Audit entries hold ids, actions and field names only, never personal data, so that erasing a
        # case leaves nothing personal behind in a trail that can never be edited.
        """CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL)""",
        """CREATE INDEX audit_entity ON audit_log (entity_id)""",
        """CREATE TABLE erasure_permit (token TEXT PRIMARY KEY) WITHOUT ROWID""",
        # --- the rules, enforced by the database itself ---
        """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
        """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
        """CREATE TRIGGER sheets_frozen_update BEFORE UPDATE ON sheets
            WHEN OLD.status = 'submitted'
            BEGIN SELECT RAISE(ABORT, 'submitted rating sheets are immutable'); END""",
        """CREATE TRIGGER sheets_frozen_delete BEFORE DELETE ON sheets
            WHEN OLD.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM erasure_permit)
            BEGIN SELECT RAISE(ABORT, 'submitted rating sheets are immutable'); END""",
        """CREATE TRIGGER sheets_insert_submitted_needs_content BEFORE INSERT ON sheets
            WHEN NEW.status = 'submitted' AND NEW.content_hash IS NULL
            BEGIN SELECT RAISE(ABORT, 'a submitted sheet must carry its content hash'); END""",
        *_locked_children("answers"),
        *_locked_children("sheet_texts"),
        """CREATE TRIGGER consensus_frozen_update BEFORE UPDATE ON consensus
            WHEN OLD.status = 'final'
            BEGIN SELECT RAISE(ABORT, 'a final consensus is immutable'); END""",
        """CREATE TRIGGER consensus_frozen_delete BEFORE DELETE ON consensus
            WHEN OLD.status = 'final' AND NOT EXISTS (SELECT 1 FROM erasure_permit)
            BEGIN SELECT RAISE(ABORT, 'a final consensus is immutable'); END""",
        """CREATE TRIGGER consensus_items_frozen_insert BEFORE INSERT ON consensus_items
            WHEN (SELECT status FROM consensus WHERE id = NEW.consensus_id) = 'final'
            BEGIN SELECT RAISE(ABORT, 'a final consensus is immutable'); END""",
        """CREATE TRIGGER consensus_items_frozen_update BEFORE UPDATE ON consensus_items
            WHEN (SELECT status FROM consensus WHERE id = OLD.consensus_id) = 'final'
            BEGIN SELECT RAISE(ABORT, 'a final consensus is immutable'); END""",
        """CREATE TRIGGER consensus_items_frozen_delete BEFORE DELETE ON consensus_items
            WHEN (SELECT status FROM consensus WHERE id = OLD.consensus_id) = 'final'
             AND NOT EXISTS (SELECT 1 FROM erasure_permit)
            BEGIN SELECT RAISE(ABORT, 'a final consensus is immutable'); END""",
    ),
)

V2_RETENTION = Migration(
    2,
    "retention state per case: active or closed (with date), for reminders and erasure",
    (
        """ALTER TABLE families ADD COLUMN retention_state TEXT NOT NULL DEFAULT 'active'
            CHECK (retention_state IN ('active', 'closed'))""",
        """ALTER TABLE families ADD COLUMN closed_on TEXT""",
        """CREATE INDEX families_retention ON families (retention_state, closed_on)""",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (V1_CORE, V2_RETENTION)
LATEST_VERSION = MIGRATIONS[-1].version
