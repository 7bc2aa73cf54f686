"""The matcher against a brute force on random small programs, and its explanations."""

from __future__ import annotations

import math
import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.mentoring import matching
from cairn.mentoring.matching import (
    ALL_FULL,
    BELOW_MINIMUM,
    NO_MENTORS,
    Mentee,
    Mentor,
    Objective,
    Result,
    Weights,
    _Scorer,
    _unproved_rows,
    greedy,
    match,
    score,
)

TAGS = ["a", "b", "c", "d"]
TEAMS = [None, "x", "y"]
tags = st.frozensets(st.sampled_from(TAGS), max_size=3)
offsets = st.one_of(st.none(), st.integers(-12, 14))


@st.composite
def programs(draw):
    # Mentor keys overlap mentee keys (p2..), so "cannot mentor themself" gets exercised.
    mentor_keys = [f"p{j + 2}" for j in range(draw(st.integers(0, 4)))]
    mentors = [
        Mentor(
            key=key,
            capacity=draw(st.integers(0, 3)),
            skills_offered=draw(tags),
            helps_with=draw(tags),
            seniority=draw(st.integers(0, 8)),
            utc_offset=draw(offsets),
            languages=draw(tags),
            team=draw(st.sampled_from(TEAMS)),
            outside_team=draw(st.booleans()),
        )
        for key in mentor_keys
    ]
    mentees = [
        Mentee(
            key=f"p{i}",
            skills_sought=draw(tags),
            goals=draw(tags),
            seniority=draw(st.integers(0, 8)),
            ranked=tuple(draw(st.lists(st.sampled_from([*mentor_keys, "gone"]), max_size=3))),
            utc_offset=draw(offsets),
            languages=draw(tags),
            team=draw(st.sampled_from(TEAMS)),
            excluded=frozenset(draw(st.lists(st.sampled_from(mentor_keys or ["z"]), max_size=2))),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    weights = Weights(**{
        name: draw(st.sampled_from([0, 0.5, 1, 2.5, 3]))
        for name in ("skills", "goals", "seniority", "preference", "time_zone", "languages",
                     "cross_team")
    })  # fmt: skip
    min_score = draw(st.sampled_from([0.0, 0.0, 1.0, 2.5, 5.0]))
    room = {m.key: m.capacity for m in mentors}
    pinned = []
    for mentee in mentees:
        if mentors and draw(st.integers(0, 4)) == 0:
            mentor = draw(st.sampled_from(mentors))
            if score(mentee, mentor, weights) is not None and room[mentor.key] > 0:
                room[mentor.key] -= 1
                pinned.append((mentee.key, mentor.key))
    return mentees, mentors, weights, min_score, pinned


def brute_force(
    mentees: list[Mentee],
    mentors: list[Mentor],
    weights: Weights,
    min_score: float,
    pinned: list[tuple[str, str]],
) -> list[tuple[int, float]]:
    """Every feasible assignment's (matched, total), by enumeration."""
    pins = dict(pinned)
    room = {m.key: m.capacity for m in mentors}
    options: list[list[str | None]] = []
    for mentee in mentees:
        if mentee.key in pins:
            options.append([pins[mentee.key]])
            continue
        allowed = [
            m.key
            for m in mentors
            if (p := score(mentee, m, weights)) is not None and p.score >= min_score
        ]
        options.append([None, *allowed])
    scores = {
        (e.key, m.key): p.score
        for e in mentees
        for m in mentors
        if (p := score(e, m, weights)) is not None
    }
    found: list[tuple[int, float]] = []

    def walk(i: int, matched: int, total: float) -> None:
        if i == len(mentees):
            found.append((matched, total))
            return
        for key in options[i]:
            if key is None:
                walk(i + 1, matched, total)
            elif room[key] > 0:
                room[key] -= 1
                walk(i + 1, matched + 1, total + scores[mentees[i].key, key])
                room[key] += 1

    walk(0, 0, 0.0)
    return found


def check_feasible(
    result: Result,
    mentees: list[Mentee],
    mentors: list[Mentor],
    weights: Weights,
    min_score: float,
    pinned: list[tuple[str, str]],
) -> None:
    by_key = {m.key: m for m in mentors}
    mentee_by_key = {e.key: e for e in mentees}
    load: dict[str, int] = {}
    assert len({p.mentee for p in result.pairs}) == len(result.pairs)
    for pair in result.pairs:
        expected = score(mentee_by_key[pair.mentee], by_key[pair.mentor], weights)
        assert expected is not None, "a hard constraint was broken"
        assert pair.score == pytest.approx(expected.score)
        assert math.fsum(pair.reasons.values()) == pytest.approx(pair.score, abs=1e-9)
        assert all(v > 0 for v in pair.reasons.values())
        assert pair.score >= min_score or (pair.mentee, pair.mentor) in pinned
        load[pair.mentor] = load.get(pair.mentor, 0) + 1
    assert all(load[key] <= by_key[key].capacity for key in load)
    assert set(pinned) <= {(p.mentee, p.mentor) for p in result.pairs}
    matched = {p.mentee for p in result.pairs}
    assert set(result.unmatched) == {e.key for e in mentees} - matched
    assert result.total == pytest.approx(sum(p.score for p in result.pairs))
    for key, reason in result.unmatched.items():
        scored = [(m, score(mentee_by_key[key], m, weights)) for m in mentors]
        suitable = [m for m, p in scored if p is not None and p.score >= min_score]
        if all(p is None for _, p in scored):
            assert reason.startswith("no allowed mentor: ")
        elif not suitable:
            assert reason == BELOW_MINIMUM
        else:
            assert reason == ALL_FULL
            assert all(load.get(m.key, 0) == m.capacity for m in suitable)


@given(programs(), st.sampled_from([None, 1, 2]))
def test_best_total_equals_brute_force(program, candidates):
    mentees, mentors, weights, min_score, pinned = program
    result = match(
        mentees, mentors, weights, min_score=min_score, pinned=pinned,
        candidates_per_mentee=candidates,
    )  # fmt: skip
    check_feasible(result, mentees, mentors, weights, min_score, pinned)
    found = brute_force(mentees, mentors, weights, min_score, pinned)
    best = max(total for _, total in found)
    assert result.total == pytest.approx(best, abs=1e-6)
    # Among the best totals, as many people as possible.
    most = max(matched for matched, total in found if total >= best - 1e-6)
    assert len(result.pairs) == most


@given(programs(), st.sampled_from([None, 1, 2]))
def test_most_matched_equals_brute_force(program, candidates):
    mentees, mentors, weights, min_score, pinned = program
    result = match(
        mentees, mentors, weights, objective=Objective.MOST_MATCHED, min_score=min_score,
        pinned=pinned, candidates_per_mentee=candidates,
    )  # fmt: skip
    check_feasible(result, mentees, mentors, weights, min_score, pinned)
    assert result.objective is Objective.MOST_MATCHED
    found = brute_force(mentees, mentors, weights, min_score, pinned)
    most = max(matched for matched, _ in found)
    assert len(result.pairs) == most
    assert result.total == pytest.approx(
        max(total for matched, total in found if matched == most), abs=1e-6
    )


@given(programs())
def test_greedy_is_feasible_and_never_beats_the_optimum(program):
    mentees, mentors, weights, min_score, _ = program
    baseline = greedy(mentees, mentors, weights, min_score=min_score)
    check_feasible(baseline, mentees, mentors, weights, min_score, [])
    best = match(mentees, mentors, weights, min_score=min_score)
    assert baseline.total <= best.total + 1e-9


@given(programs())
def test_vectorised_scores_equal_pair_scores(program):
    mentees, mentors, weights, _, _ = program
    scores, allowed = _Scorer(mentees, mentors, weights).block(0, len(mentees))
    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(mentors):
            pair = score(mentee, mentor, weights)
            assert allowed[i, j] == (pair is not None)
            if pair is not None:
                assert scores[i, j] == pair.score


def test_greedy_takes_the_best_pair_first_and_the_solver_does_better():
    # Ann's best is Max, but Bob can only have Max: greedy gives Max to Ann and leaves
    # Bob without anyone; the optimum gives Ann Nia and Bob Max.
    weights = Weights(skills=1, goals=0, seniority=0, preference=0, time_zone=0,
                      languages=0, cross_team=0)  # fmt: skip
    max_ = Mentor("max", skills_offered=frozenset({"go", "sql"}))
    nia = Mentor("nia", skills_offered=frozenset({"go"}))
    ann = Mentee("ann", skills_sought=frozenset({"go", "sql"}))
    bob = Mentee("bob", skills_sought=frozenset({"sql"}), excluded=frozenset({"nia"}))
    baseline = greedy([ann, bob], [max_, nia], weights, min_score=0.1)
    assert [(p.mentee, p.mentor) for p in baseline.pairs] == [("ann", "max")]
    best = match([ann, bob], [max_, nia], weights, min_score=0.1)
    assert [(p.mentee, p.mentor) for p in best.pairs] == [("ann", "nia"), ("bob", "max")]
    assert best.total == pytest.approx(1.5)


def test_pair_explains_its_score():
    mentee = Mentee(
        "ann",
        skills_sought=frozenset({"go", "sql"}),
        goals=frozenset({"promotion"}),
        seniority=2,
        ranked=("zoe", "max"),
        utc_offset=-11,
        languages=frozenset({"fr"}),
        team="web",
    )
    mentor = Mentor(
        "max",
        skills_offered=frozenset({"go"}),
        helps_with=frozenset({"promotion", "speaking"}),
        seniority=7,
        utc_offset=13,
        languages=frozenset({"fr", "en"}),
        team="data",
    )
    pair = score(mentee, mentor, Weights())
    assert pair is not None
    assert pair.reasons == {
        "skills": 1.5,  # half the skills sought, weight 3
        "goals": 2.0,
        "seniority": pytest.approx(1 / 3),  # five levels above
        "preference": 1.5,  # second of two
        "time_zone": 1.0,  # UTC-11 and UTC+13 show the same time
        "languages": 1.0,
        "cross_team": 1.0,
    }
    assert pair.score == pytest.approx(8 + 1 / 3)


def test_a_mentor_below_the_mentee_adds_nothing_for_seniority():
    pair = score(Mentee("ann", seniority=5), Mentor("max", seniority=5), Weights())
    assert pair is not None
    assert "seniority" not in pair.reasons


@pytest.mark.parametrize(
    ("mentee", "mentor"),
    [
        (Mentee("ann", excluded=frozenset({"max"})), Mentor("max")),
        (Mentee("ann"), Mentor("ann")),
        (Mentee("ann", team="web"), Mentor("max", team="data", outside_team=False)),
        (Mentee("ann"), Mentor("max", team="data", outside_team=False)),
    ],
)
def test_hard_constraints_forbid_the_pair(mentee, mentor):
    assert score(mentee, mentor, Weights()) is None
    result = match([mentee], [mentor], Weights())
    assert result.pairs == []
    assert result.unmatched[mentee.key].startswith("no allowed mentor: ")
    with pytest.raises(ValueError, match="Cannot pin ann with"):
        match([mentee], [mentor], Weights(), pinned=[("ann", mentor.key)])


def test_unmatched_reasons_say_why():
    weights = Weights()
    mentors = [Mentor("max", capacity=1, skills_offered=frozenset({"go"}))]
    mentees = [
        Mentee("ann", skills_sought=frozenset({"go"})),
        Mentee("bob", skills_sought=frozenset({"go", "sql"})),  # 1.5: worse than Ann's 3
        Mentee("cat"),
        Mentee("dan", excluded=frozenset({"max"})),
    ]
    result = match(mentees, mentors, weights, min_score=1)
    assert [p.mentee for p in result.pairs] == ["ann"]
    assert result.unmatched == {
        "bob": ALL_FULL,
        "cat": BELOW_MINIMUM,
        "dan": "no allowed mentor: excluded (management chain, a past pair or a “not with” choice)",
    }
    assert match(mentees, [], weights).unmatched == dict.fromkeys(["ann", "bob", "cat", "dan"],
                                                                  NO_MENTORS)  # fmt: skip


def test_pinned_pair_is_kept_below_the_minimum_and_uses_capacity():
    mentors = [Mentor("max", capacity=1, skills_offered=frozenset({"go"}))]
    mentees = [Mentee("ann", skills_sought=frozenset({"go"})), Mentee("cat")]
    result = match(mentees, mentors, Weights(), min_score=2, pinned=[("cat", "max")])
    assert [(p.mentee, p.mentor) for p in result.pairs] == [("cat", "max")]
    assert result.unmatched == {"ann": ALL_FULL}


@pytest.mark.parametrize(
    ("pinned", "message"),
    [
        ([("ann", "max"), ("bob", "max")], "the mentor is full"),
        ([("ann", "max"), ("ann", "max")], "pinned to more than one"),
        ([("zed", "max")], "not a mentee"),
        ([("ann", "zed")], "not a mentor"),
    ],
)
def test_impossible_pins_are_refused(pinned, message):
    mentees = [Mentee("ann"), Mentee("bob")]
    with pytest.raises(ValueError, match=message):
        match(mentees, [Mentor("max", capacity=1)], Weights(), pinned=pinned)


def test_most_matched_trades_score_for_people():
    weights = Weights(skills=1, goals=0, seniority=0, preference=0, time_zone=0,
                      languages=0, cross_team=0)  # fmt: skip
    max_ = Mentor("max", skills_offered=frozenset({"go"}))
    nia = Mentor("nia")
    ann = Mentee("ann", skills_sought=frozenset({"go"}))
    bob = Mentee("bob", excluded=frozenset({"nia"}))
    best = match([ann, bob], [max_, nia], weights)
    assert best.total == 1.0
    most = match([ann, bob], [max_, nia], weights, objective=Objective.MOST_MATCHED)
    assert {(p.mentee, p.mentor) for p in most.pairs} == {("ann", "nia"), ("bob", "max")}
    assert most.total == 0.0


@pytest.mark.parametrize("bad", [-1, -0.5, float("nan"), float("inf"), "3", None, True])
def test_invalid_weights_are_refused(bad):
    with pytest.raises(ValueError, match="weight for time zone"):
        Weights(time_zone=bad)


def test_repeated_keys_and_negative_capacity_are_refused():
    with pytest.raises(ValueError, match="repeated: ann"):
        match([Mentee("ann"), Mentee("ann")], [], Weights())
    with pytest.raises(ValueError, match="capacity"):
        match([Mentee("ann")], [Mentor("max", capacity=-1)], Weights())


def test_progress_is_reported_up_to_every_mentee():
    calls: list[tuple[int, int]] = []
    mentees = [Mentee(f"e{i}") for i in range(5)]
    match(
        mentees,
        [Mentor("max")],
        Weights(),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[0] == (0, 5)
    assert calls[-1] == (5, 5)


@pytest.mark.parametrize("objective", list(Objective))
def test_pruned_candidates_reach_the_same_optimum_as_every_pair(objective):
    # 300 mentees competing for 40 mentors: with one candidate each, the duality check
    # must pull in the pairs the first solve could not see.
    rng = random.Random(7)  # noqa: S311 - test data
    mentors = [
        Mentor(
            f"m{j}",
            capacity=rng.randint(1, 5),
            skills_offered=frozenset(rng.sample(TAGS, 2)),
            seniority=rng.randint(0, 8),
            team=rng.choice(TEAMS),
        )
        for j in range(40)
    ]
    mentees = [
        Mentee(
            f"e{i}",
            skills_sought=frozenset(rng.sample(TAGS, rng.randint(1, 3))),
            seniority=rng.randint(0, 8),
            ranked=tuple(rng.sample([m.key for m in mentors], 2)),
            team=rng.choice(TEAMS),
            excluded=frozenset({f"m{rng.randint(0, 39)}"}),
        )
        for i in range(300)
    ]
    every = match(mentees, mentors, Weights(), objective=objective, min_score=1)
    pruned = match(
        mentees, mentors, Weights(), objective=objective, min_score=1, candidates_per_mentee=1
    )
    assert len(pruned.pairs) == len(every.pairs)
    assert pruned.total == pytest.approx(every.total, abs=1e-6)
    # Ties may pick other people, but the reasons left over are the same.
    assert Counter(pruned.unmatched.values()) == Counter(every.unmatched.values())


def seeded_program(seed: int, n_mentees: int, n_mentors: int) -> tuple[list[Mentee], list[Mentor]]:
    """The benchmark's kind of program (bench/matching.py), smaller."""
    rng = random.Random(seed)  # noqa: S311 - test data
    skills, goals = [f"s{n}" for n in range(60)], [f"g{n}" for n in range(20)]
    languages = ["en", "fr", "de", "es", "pt", "pl", "hi", "ja"]
    teams = [f"t{n}" for n in range(40)]

    def offset() -> int | None:
        return None if rng.random() < 0.1 else rng.choice([-8, -5, 0, 1, 2, 5, 8, 9])

    def spoken() -> frozenset[str]:
        return frozenset({"en"} | set(rng.sample(languages, rng.randint(0, 2))))

    mentors = [
        Mentor(
            key=f"mentor-{n}",
            capacity=rng.randint(1, 5),
            skills_offered=frozenset(rng.sample(skills, rng.randint(2, 8))),
            helps_with=frozenset(rng.sample(goals, rng.randint(1, 5))),
            seniority=rng.randint(2, 10),
            utc_offset=offset(),
            languages=spoken(),
            team=rng.choice(teams),
            outside_team=rng.random() > 0.05,
        )
        for n in range(n_mentors)
    ]
    mentees = [
        Mentee(
            key=f"mentee-{n}",
            skills_sought=frozenset(rng.sample(skills, rng.randint(1, 4))),
            goals=frozenset(rng.sample(goals, rng.randint(1, 3))),
            seniority=rng.randint(0, 8),
            ranked=tuple(m.key for m in rng.sample(mentors, rng.randint(0, 5))),
            utc_offset=offset(),
            languages=spoken(),
            team=rng.choice(teams),
            excluded=frozenset(m.key for m in rng.sample(mentors, rng.randint(0, 3))),
        )
        for n in range(n_mentees)
    ]
    return mentees, mentors


@pytest.mark.parametrize("objective", list(Objective))
@pytest.mark.parametrize(
    ("min_score", "total", "matched"),
    [(5.0, 6641.322619047619, 897), (0.0, 6738.532142857142, 922)],
)
def test_same_optimum_as_the_solver_before_issue_15(objective, min_score, total, matched):
    # 1,500 mentees for 300 mentors (about 900 places): too many pairs to solve them all
    # at once, so the candidates, the spares, the bounds and the certificate all take
    # part. The previous solver (bench/previous/matching.py) found these figures.
    mentees, mentors = seeded_program(15, 1500, 300)
    result = match(mentees, mentors, Weights(), objective=objective, min_score=min_score)
    assert result.total == pytest.approx(total, abs=1e-9)
    assert len(result.pairs) == matched
    load = Counter(p.mentor for p in result.pairs)
    assert all(load[m.key] <= m.capacity for m in mentors)
    assert all(p.score >= min_score and p.reasons for p in result.pairs)


def test_scores_are_the_same_without_the_tables(monkeypatch):
    # Large programs score seniority and time zones without per-level tables and skills
    # without a dense table of the mentors' sets: the same floats either way.
    mentees, mentors = seeded_program(3, 40, 30)
    with_tables, allowed = _Scorer(mentees, mentors, Weights()).block(0, len(mentees))
    monkeypatch.setattr(matching, "_TABLE_CELLS", 0)
    scorer = _Scorer(mentees, mentors, Weights())
    assert scorer.seniority.table is None
    assert scorer.skills.right_dense is None
    without, allowed_without = scorer.block(0, len(mentees))
    assert (without == with_tables).all()
    assert (allowed_without == allowed).all()
    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(mentors):
            pair = score(mentee, mentor, Weights())
            assert allowed[i, j] == (pair is not None)
            if pair is not None:
                assert without[i, j] == pair.score


def test_rows_scores_any_mentees_like_a_block():
    mentees, mentors = seeded_program(4, 30, 20)
    scorer = _Scorer(mentees, mentors, Weights())
    every, allowed = scorer.block(0, len(mentees))
    some = np.array([17, 2, 29, 2])
    scores, some_allowed = scorer.rows(some)
    assert (scores == every[some]).all()
    assert (some_allowed == allowed[some]).all()


finite_or_not = st.one_of(st.integers(-5, 20).map(float), st.just(-math.inf))


@given(
    st.lists(st.tuples(finite_or_not, st.integers(0, 15).map(float)), max_size=8),
    st.lists(st.tuples(finite_or_not, st.one_of(st.integers(0, 15).map(float), st.just(math.inf))),
             max_size=8),
)  # fmt: skip
def test_unproved_rows_are_exactly_those_the_bound_cannot_clear(rows, columns):
    row_cap = np.array([r[0] for r in rows], dtype=np.float64)
    y = np.array([r[1] for r in rows], dtype=np.float64)
    column_cap = np.array([c[0] for c in columns], dtype=np.float64)
    z = np.array([c[1] for c in columns], dtype=np.float64)
    expected = [
        i
        for i in range(len(rows))
        if any(
            math.isfinite(z[j]) and min(row_cap[i], column_cap[j]) > y[i] + z[j] + 0.5
            for j in range(len(columns))
        )
    ]
    assert list(_unproved_rows(row_cap, column_cap, y, z)) == expected
