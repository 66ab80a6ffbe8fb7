"""Passphrase policy and generation, for the app's forms and the CLI (the rules live with the store)."""

from ..storage.keys import check_passphrase_strength, generate_passphrase, passphrase_strength

__all__ = ["check_passphrase_strength", "generate_passphrase", "passphrase_strength"]
