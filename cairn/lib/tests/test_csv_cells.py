"""CSV cells a spreadsheet shows as text, never runs (CSV injection)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.lib.csv_cells import FORMULA_STARTS, formula_safe, read_cell, reversible_cell

texts = st.text() | st.tuples(st.sampled_from([*FORMULA_STARTS, "'", "''"]), st.text()).map("".join)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+2", "'=1+2"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindent", "'\tindent"),
        ("Ada", "Ada"),
        ("", ""),
        ("'Ilima", "'Ilima"),  # a name's apostrophe is kept as it is
    ],
)
def test_a_formula_start_is_guarded_and_anything_else_is_left_alone(value: str, shown: str) -> None:
    assert formula_safe(value) == shown


@given(texts)
def test_no_cell_starts_like_a_formula(value: str) -> None:
    assert formula_safe(value)[:1] not in FORMULA_STARTS
    assert reversible_cell(value)[:1] not in FORMULA_STARTS


@given(texts)
def test_a_reversible_cell_reads_back_as_it_was(value: str) -> None:
    assert read_cell(reversible_cell(value)) == value
