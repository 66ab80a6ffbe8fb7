"""Property tests: whatever is done to a valid form, loading it gives a form or a FormError, nothing else."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neglect_tool.forms import FormDefinition, FormError, build_form, load_form_bytes, load_form_text

from .test_forms_malformed import VALID, to_toml

FAST = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
_scalars = st.one_of(
    st.integers(-(10**6), 10**6),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    _text,
    st.booleans(),
    st.sampled_from(["", " ", "yes", "ybn", "one", "a", "not_known", "health", "met", "ordinal", "1"]),
    st.just(dt.date(2024, 2, 29)),
)
_junk = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_text, inner, max_size=3)),
    max_leaves=6,
)
_mutation = st.tuples(st.sampled_from(["delete", "retype", "insert"]), st.integers(0, 10_000), _junk)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


def _mutate(data: dict[str, Any], mutations: list[tuple[str, int, Any]]) -> None:
    for op, pick, junk in mutations:
        paths = _paths(data)
        if not paths:
            return
        path = paths[pick % len(paths)]
        parent: Any = data
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        if op == "delete":
            del parent[last]
        elif op == "retype":
            parent[last] = junk
        elif isinstance(parent, dict):
            parent[f"junk{pick}"] = junk
        else:
            parent.insert(pick % (len(parent) + 1), junk)


def _check(load: Any, *args: Any) -> None:
    try:
        form = load(*args)
    except FormError as exc:
        assert exc.problems
        assert all(p.location.startswith("fuzz.toml") and p.message for p in exc.problems)
        assert str(exc).count("\n") == len(exc.problems) - 1
    else:
        assert isinstance(form, FormDefinition)
        for item in form.items():  # a harmless mutation still gives a form whose references resolve
            assert form.scale_for(item).options


@FAST
@given(st.lists(_mutation, min_size=1, max_size=4))
def test_structural_mutations_only_ever_raise_form_error(mutations: list[tuple[str, int, Any]]) -> None:
    data = tomllib.loads(VALID)
    _mutate(data, mutations)
    _check(load_form_text, to_toml(data), "fuzz.toml")


_toml_chars = st.sampled_from([*"[]{}=\"'#\n.,-_ 0123456789abcxyz", "\\", "\t", "\x00", "é", "\u2028", '"""'])


@FAST
@given(st.lists(st.tuples(st.integers(0, len(VALID)), st.integers(0, 3), _toml_chars), min_size=1,
                max_size=5))
def test_text_mutations_only_ever_raise_form_error(edits: list[tuple[int, int, str]]) -> None:
    text = VALID
    for position, removed, inserted in edits:
        position %= len(text) + 1
        text = text[:position] + inserted + text[position + removed:]
    _check(load_form_text, text, "fuzz.toml")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID)), st.binary(min_size=1, max_size=3)), min_size=1,
                max_size=3))
def test_byte_mutations_only_ever_raise_form_error(edits: list[tuple[int, bytes]]) -> None:
    raw = VALID.encode("utf-8")
    for position, replacement in edits:
        position %= len(raw) + 1
        raw = raw[:position] + replacement + raw[position + len(replacement):]
    _check(load_form_bytes, raw, "fuzz.toml")


@settings(max_examples=200, deadline=None)
@given(_junk)
def test_arbitrary_documents_only_ever_raise_form_error(document: Any) -> None:
    _check(build_form, document, "fuzz.toml")
