"""Peer rotations: everyone meets everyone once per cycle, and a rotation continues."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.mentoring.rotations import current_cycle, next_round, rounds


def people(count: int) -> list[str]:
    return [f"p{n}" for n in range(count)]


@given(st.integers(0, 25))
def test_every_pair_meets_exactly_once_per_cycle(count):
    keys = people(count)
    schedule = rounds(keys)
    met = [frozenset(pair) for pairs in schedule for pair in pairs]
    assert sorted(met, key=sorted) == sorted(
        (frozenset(pair) for pair in combinations(keys, 2)), key=sorted
    )
    expected_rounds = 0 if count < 2 else count - 1 if count % 2 == 0 else count
    assert len(schedule) == expected_rounds
    for pairs in schedule:
        seated = [key for pair in pairs for key in pair]
        assert len(seated) == len(set(seated)), "nobody is in two pairs at once"
        # Everyone is paired each round; with an odd count exactly one sits out.
        assert len(seated) == count - count % 2


def test_with_an_odd_count_each_person_sits_out_once():
    keys = people(5)
    sat_out = [set(keys) - {k for pair in pairs for k in pair} for pairs in rounds(keys)]
    assert sorted(k for out in sat_out for k in out) == keys


@given(st.integers(2, 15))
def test_next_round_continues_the_cycle_then_starts_again(count):
    keys = people(count)
    met: set[frozenset[str]] = set()
    for _ in rounds(keys):
        pairs = next_round(keys, met)
        assert pairs
        new = {frozenset(pair) for pair in pairs}
        assert not new & met, "nobody meets twice until all have met"
        met |= new
    assert met == {frozenset(pair) for pair in combinations(keys, 2)}
    assert next_round(keys, met) == rounds(keys)[0]


def test_next_round_after_someone_joins_pairs_only_new_meetings():
    keys = people(4)
    met = {frozenset(pair) for pair in rounds(keys)[0]}
    joined = [*keys, "p4", "p5"]
    pairs = next_round(joined, met)
    assert {frozenset(pair) for pair in pairs}.isdisjoint(met)
    assert len(pairs) == 3


def test_too_few_people_make_no_round():
    assert rounds([]) == []
    assert rounds(["solo"]) == []
    assert next_round(["solo"], set()) == []


def test_repeated_people_are_refused():
    with pytest.raises(ValueError, match="once"):
        rounds(["p0", "p0"])


def test_a_second_cycle_continues_from_its_own_rounds():
    keys = people(4)
    history: list[list[tuple[str, str]]] = []
    for _ in range(len(rounds(keys)) + 2):
        history.append(next_round(keys, current_cycle(keys, history)))
    first, second = history[:3], history[3:]
    assert second == first[:2], "the second cycle starts again and goes on without repeats"
    assert current_cycle(keys, first) == set()
