"""Scoring: which items apply, section profiles, information gaps, agreement statistics (no Qt)."""
