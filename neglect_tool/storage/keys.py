"""Key derivation for the store: Argon2id, a memory-hard KDF, and the passphrase policy.

SQLCipher's own PBKDF2 (256,000 iterations) costs ~75 ms on a laptop: cheap to guess at scale. We derive
a 256-bit key with Argon2id instead (time cost 3, 256 MiB, 2 lanes: ~0.45 s here) and hand SQLCipher the
raw key together with the salt, in SQLCipher's raw-key form x'<64 hex key><32 hex salt>'. SQLCipher then
uses that salt as the file's first 16 bytes, so the salt travels with the store and nothing else is kept
on disk. SQLCipher's own KDF is skipped for raw keys; HMAC-SHA512 page authentication and AES-256 stay.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

from .errors import WeakPassphrase

SALT_BYTES = 16
KEY_BYTES = 32
MIN_PASSPHRASE_CHARS = 12
MIN_PASSPHRASE_WORDS = 4  # four random words are as good as twelve characters


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost parameters. The production values are fixed per store format version."""

    time_cost: int = 3
    memory_kib: int = 256 * 1024
    parallelism: int = 2

    def describe(self) -> str:
        return (
            f"Argon2id (time cost {self.time_cost}, memory {self.memory_kib // 1024} MiB, "
            f"{self.parallelism} lanes, 16-byte salt, 32-byte key)"
        )


STORE_KDF = KdfParams()
# Only for tests and the crash-loop harness, which open a store hundreds of times: never for real data.
FAST_TEST_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive_raw_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """SQLCipher raw-key material: b"x'<key hex><salt hex>'" (ASCII hex only, so no quoting issues)."""
    if len(salt) != SALT_BYTES:
        raise ValueError("salt must be 16 bytes")
    key = hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )
    return b"x'" + key.hex().encode("ascii") + salt.hex().encode("ascii") + b"'"


def check_passphrase_strength(passphrase: str) -> None:
    """Minimum strength: 12+ characters, or 4+ words; not one character repeated. Raises WeakPassphrase."""
    words = [w for w in passphrase.replace("-", " ").split() if w]
    long_enough = len(passphrase) >= MIN_PASSPHRASE_CHARS or len(words) >= MIN_PASSPHRASE_WORDS
    if not passphrase.strip():
        raise WeakPassphrase("The passphrase is empty.")
    if not long_enough:
        raise WeakPassphrase(
            f"The passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} characters, "
            f"or {MIN_PASSPHRASE_WORDS} or more words (e.g. four random words)."
        )
    if len(set(passphrase)) < 4:
        raise WeakPassphrase("The passphrase repeats too few characters to be hard to guess.")


def passphrase_strength(passphrase: str) -> tuple[int, str]:
    """A 0-4 score and a word for the strength meter (rough: length and character variety)."""
    try:
        check_passphrase_strength(passphrase)
    except WeakPassphrase:
        return (0 if len(passphrase) < 6 else 1, "too weak")
    variety = sum(
        any(test(ch) for ch in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    length = len(passphrase)
    if length >= 24 or (length >= 16 and variety >= 3):
        return (4, "strong")
    if length >= 16 or variety >= 3:
        return (3, "good")
    return (2, "fair")


_WORDS = (
    "acorn", "amber", "anchor", "apple", "arrow", "aspen", "badger", "bamboo", "basil", "beacon",
    "birch", "biscuit", "bramble", "breeze", "brook", "cactus", "candle", "canyon", "cedar", "cherry",
    "cider", "clover", "cobalt", "comet", "copper", "coral", "cotton", "crane", "crystal", "daisy",
    "delta", "desert", "dolphin", "dove", "dune", "eagle", "ember", "falcon", "fern", "fig", "flint",
    "forest", "fossil", "fox", "garnet", "ginger", "glacier", "granite", "grape", "harbor", "hazel",
    "heron", "honey", "iris", "island", "ivory", "jasmine", "juniper", "kestrel", "kettle", "kiwi",
    "lagoon", "lantern", "lark", "lemon", "lilac", "linen", "lotus", "maple", "marble", "meadow",
    "melon", "mint", "moss", "nectar", "nutmeg", "oak", "ocean", "olive", "onyx", "orchid", "otter",
    "owl", "pebble", "pepper", "pine", "plum", "poppy", "quartz", "quill", "rain", "raven", "reef",
    "river", "robin", "saffron", "sage", "salmon", "sapphire", "shell", "silver", "sparrow", "spruce",
    "stone", "swallow", "thistle", "thunder", "tiger", "timber", "topaz", "tulip", "valley", "velvet",
    "violet", "walnut", "willow", "wren", "yarrow", "zephyr",
)


def generate_passphrase(words: int = 8) -> str:
    """Random words joined by hyphens, easy to read out by phone: ~6.9 bits a word, ~55 bits for 8."""
    return "-".join(secrets.choice(_WORDS) for _ in range(words))
