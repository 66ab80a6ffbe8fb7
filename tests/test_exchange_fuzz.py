"""Property test: mutated record files (bit flips, byte overwrites, truncations, pages zeroed, swapped or
appended) never crash the import and never change the store. One valid export is mutated in memory for each
example and imported twice, as a dry run and for real; only the import's typed errors may come out.

2,000 examples in CI; NEGLECT_TOOL_FUZZ_EXAMPLES sets another number for a longer run.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neglect_tool.domain import Agency, Professional
from neglect_tool.services import sharing
from neglect_tool.storage.exchange import RecordError
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE
from .test_exchange_helpers import FAST_ITER, RECORD_PASSPHRASE, audit_count, exported_small_case, fingerprint

EXAMPLES = int(os.environ.get("NEGLECT_TOOL_FUZZ_EXAMPLES", "2000"))
PAGE = 4096


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, bytes, Path]]:
    folder = tmp_path_factory.mktemp("fuzz")
    record = exported_small_case(folder, "Fuzz Sender")
    receiver = Store.create(folder / "b.ntdb", PASSPHRASE, kdf=FAST_TEST_KDF,
                            owner=Professional(name="Fuzz Receiver", role="GP", agency=Agency.HEALTH))
    # The receiver already holds the case, so even a mutation that still imported would have nothing to do.
    sharing.apply_import(receiver, sharing.read_record(record, RECORD_PASSPHRASE, kdf_iter=FAST_ITER))
    try:
        yield receiver, record.read_bytes(), folder / "mutated.ntrec"
    finally:
        receiver.close()


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> tuple[str, bytes]:
    size = len(data)
    pages = size // PAGE
    kind = draw(st.sampled_from(["flip", "overwrite", "truncate", "truncate_page", "zero_page", "swap_pages",
                                 "append", "salt"]))
    out = bytearray(data)
    if kind == "flip":
        for _ in range(draw(st.integers(1, 8))):
            out[draw(st.integers(0, size - 1))] ^= 1 << draw(st.integers(0, 7))
    elif kind == "overwrite":
        start = draw(st.integers(0, size - 1))
        chunk = draw(st.binary(min_size=1, max_size=64))
        out[start:start + len(chunk)] = chunk
    elif kind == "truncate":
        del out[draw(st.integers(0, size - 1)):]
    elif kind == "truncate_page":
        del out[draw(st.integers(0, pages - 1)) * PAGE:]
    elif kind == "zero_page":
        page = draw(st.integers(0, pages - 1))
        out[page * PAGE:(page + 1) * PAGE] = bytes(PAGE)
    elif kind == "swap_pages":
        i, j = draw(st.integers(0, pages - 1)), draw(st.integers(0, pages - 1))
        a, b = out[i * PAGE:(i + 1) * PAGE], out[j * PAGE:(j + 1) * PAGE]
        out[i * PAGE:(i + 1) * PAGE], out[j * PAGE:(j + 1) * PAGE] = b, a
    elif kind == "append":
        out += draw(st.binary(min_size=1, max_size=2 * PAGE))
    else:  # the salt: the file's first 16 bytes
        out[draw(st.integers(0, 15))] ^= 1 << draw(st.integers(0, 7))
    return kind, bytes(out)


def test_mutated_records_give_typed_errors_and_leave_the_store_alone(setting: tuple[Store, bytes, Path]) -> None:
    store, original, target = setting
    before, entries = fingerprint(store.path), audit_count(store)
    outcomes: Counter[str] = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def run(data: st.DataObject) -> None:
        kind, mutated = data.draw(mutations(original))
        target.write_bytes(mutated)
        for dry_run in (True, False):
            try:
                record = sharing.read_record(target, RECORD_PASSPHRASE, kdf_iter=FAST_ITER)
                plan = sharing.preview_import(store, record)
                if not dry_run:
                    plan = sharing.apply_import(store, record)
                outcomes["imported (nothing to do)" if plan.all_identical else "IMPORTED"] += 1
            except RecordError as exc:
                outcomes[type(exc).__name__] += 1
        outcomes[f"mutation:{kind}"] += 1

    run()
    assert fingerprint(store.path) == before and audit_count(store) == entries
    assert outcomes["IMPORTED"] == 0, outcomes
    assert sum(n for k, n in outcomes.items() if k.startswith("mutation:")) >= EXAMPLES
    print(dict(outcomes))
