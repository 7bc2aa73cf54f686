"""Peer rotations: pair everyone enrolled each round, with no repeat until all have met.

The schedule is the circle method (round-robin tournaments): the first person stays put
and the others turn around them one place per round, so n people (n even) meet every
other person exactly once in n - 1 rounds; with an odd number a blank seat is added and
whoever faces it sits that round out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def rounds(keys: Sequence[str]) -> list[list[tuple[str, str]]]:
    """One full cycle: every pair of ``keys`` meets exactly once, in len - 1 rounds (len
    rounds when the count is odd, one person sitting out each)."""
    if len(set(keys)) != len(keys):
        raise ValueError("Each person may appear once in a rotation.")
    if len(keys) < 2:
        return []
    seats: list[str | None] = list(keys)
    if len(seats) % 2:
        seats.append(None)
    fixed, turning = seats[0], seats[1:]
    schedule = []
    for turn in range(len(turning)):
        table = [fixed, *turning[turn:], *turning[:turn]]
        half = len(table) // 2
        schedule.append(
            [
                (a, b)
                for a, b in zip(table[:half], reversed(table[half:]), strict=True)
                if a is not None and b is not None
            ]
        )
    return schedule


def next_round(keys: Sequence[str], met: set[frozenset[str]]) -> list[tuple[str, str]]:
    """The next round of a rotation, given the pairs that already met in this cycle.

    With the same people as before this is the next round of ``rounds(keys)``, so the
    cycle completes in the fewest rounds. When people joined or left mid-cycle and no
    scheduled round is free of repeats, it pairs as many not-yet-met people as a
    single pass finds (never a repeat). Once every pair has met it starts a fresh cycle
    with the first round: from then on pass only the pairs met since that fresh start.
    """
    schedule = rounds(keys)
    for pairs in schedule:
        if not any(frozenset(pair) in met for pair in pairs):
            return pairs
    free = set(keys)
    found = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if a in free and b in free and frozenset((a, b)) not in met:
                found.append((a, b))
                free -= {a, b}
    if found:
        return found
    return schedule[0] if schedule else []


def current_cycle(
    keys: Sequence[str], history: Sequence[Iterable[tuple[str, str]]]
) -> set[frozenset[str]]:
    """The pairs met since the last completed cycle, from the rounds so far in order:
    what ``next_round`` needs once a rotation has gone round more than once."""
    everyone = {frozenset((a, b)) for i, a in enumerate(keys) for b in keys[i + 1 :]}
    met: set[frozenset[str]] = set()
    for pairs in history:
        met |= {frozenset(pair) for pair in pairs}
        if everyone <= met:
            met = set()
    return met
