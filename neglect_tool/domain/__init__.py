"""The domain model: plain Python, no Qt, no SQL."""

from .dates import age_in_months, check_date, describe_age, utc_now
from .errors import DomainError, SheetLocked
from .model import (
    Agency,
    Answer,
    AssessmentRound,
    Child,
    Consensus,
    ConsensusItem,
    ConsensusStatus,
    EvidenceSource,
    Family,
    Plan,
    PlanAction,
    PlanTarget,
    Professional,
    RaterKind,
    RatingSheet,
    Recency,
    RoundPurpose,
    RoundStatus,
    SheetStatus,
    new_id,
)
from .nhs import format_nhs_number, validate_nhs_number

__all__ = [
    "Agency", "Answer", "AssessmentRound", "Child", "Consensus", "ConsensusItem", "ConsensusStatus",
    "DomainError", "EvidenceSource", "Family", "Plan", "PlanAction", "PlanTarget", "Professional",
    "RaterKind", "RatingSheet", "Recency", "RoundPurpose", "RoundStatus", "SheetLocked", "SheetStatus",
    "age_in_months", "check_date", "describe_age", "format_nhs_number", "new_id", "utc_now",
    "validate_nhs_number",
]
