"""Readings and summaries of agreement figures.

They live in :mod:`neglect_tool.scoring.agreement` next to the statistics; this module re-exports them so
either import path works.
"""

from neglect_tool.scoring.agreement import AgreementSummary, Figure, reading, summarise

__all__ = ["AgreementSummary", "Figure", "reading", "summarise"]
