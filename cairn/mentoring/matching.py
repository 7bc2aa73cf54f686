"""Mentor-mentee matching: a score per pair and an exactly optimal assignment.

Pure Python with NumPy/SciPy and no Django, so it can be tested on its own and
benchmarked (``bench/matching.py``). The caller (``services.py``) turns enrolments into
``Mentee``/``Mentor`` values, computing the hard exclusions it knows about (management
chain, past pairs, "not with" choices) into ``Mentee.excluded``.

Scoring
-------
Each criterion contributes ``weight * factor`` with the factor in [0, 1]:

- ``skills``: share of the skills the mentee seeks that the mentor offers,
  ``|sought ∩ offered| / |sought|`` (0 when the mentee seeks none).
- ``goals``: share of the mentee's goals the mentor helps with, ``|goals ∩ helps_with| / |goals|``.
- ``seniority``: with ``gap = mentor.seniority - mentee.seniority``: 1 for a gap of 1 to 3,
  ``1 / (gap - 2)`` above that (a gap of 4 gives 0.5, 5 gives 1/3), 0 when the mentor is
  not above the mentee.
- ``preference``: ``1 - position / len(ranked)`` when the mentee shortlisted the mentor
  (their first choice gives 1), 0 otherwise.
- ``time_zone``: ``1 - d / 12`` where ``d`` is the distance in hours between the offsets
  on a 24-hour clock (0 to 12); 0 when either offset is unknown.
- ``languages``: 1 when they share a language.
- ``cross_team``: 1 when both teams are known and differ.

A pair's score is the sum of the contributions, and ``Pair.reasons`` lists the positive
ones, so the reasons always add up to the score. Hard constraints (``score`` returns
``None``): the mentor is in ``mentee.excluded``, is the mentee, or mentors only their own
team and the mentee is not in it. Capacity is enforced by the assignment.

Assignment
----------
See ``match``: an exact optimum found by SciPy's sparse Jonker-Volgenant solver
(``min_weight_full_bipartite_matching``) on candidate pairs, with an LP-duality
certificate proving that no pair left out could improve it.

Why SciPy rather than a min-cost-flow library (OR-Tools' ``SimpleMinCostFlow`` was the
other candidate): SciPy is already a dependency, while OR-Tools would bring pandas,
protobuf and absl with it for one call, and its cost scaling multiplies costs by the
number of nodes, so our integer values (up to 2**51, see ``_resolution``) would need a
coarser grid. Nor was the solver the slow part: the time went into scoring every pair
four times and solving three times with the mentees as the side to cover. Matching
the mentors' places (slots) instead, each with a dummy "left empty", makes LAPJVsp
five times faster when places are scarce (0.5 s at 10,000 mentees for 6,000 places).

Speed: every pair is scored once (``_score_once``), in blocks of about a million pairs,
vectorised (sparse rows times dense tables for shared items, per-level tables for
seniority and time zones). What the certificate needs is kept from that one pass;
only the few mentees the bounds cannot clear are scored again. ``bench/matching.py``
measures it: 10,000 mentees x 2,000 mentors, proved optimal, in 1.6 s of CPU and a
150 MB peak (the solver before: 9.7 s and 240 MB, same total); 100,000 x 20,000 in
about 4 minutes of CPU and a 1 GB peak, a quarter of it the program's own data.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

CRITERIA = ("skills", "goals", "seniority", "preference", "time_zone", "languages", "cross_team")

NO_MENTORS = "no allowed mentor: the program has no mentors"
BELOW_MINIMUM = "no mentor scores above the minimum"
ALL_FULL = "every suitable mentor is full"
_EXCLUDED = "excluded (management chain, a past pair or a “not with” choice)"
_THEMSELF = "a person cannot mentor themself"
_OWN_TEAM = "the mentor mentors only their own team"


@dataclass(frozen=True)
class Mentee:
    key: str
    skills_sought: frozenset[str] = frozenset()
    goals: frozenset[str] = frozenset()
    seniority: int = 0
    ranked: tuple[str, ...] = ()
    utc_offset: int | None = None
    languages: frozenset[str] = frozenset()
    team: str | None = None
    excluded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Mentor:
    key: str
    capacity: int = 1
    skills_offered: frozenset[str] = frozenset()
    helps_with: frozenset[str] = frozenset()
    seniority: int = 0
    utc_offset: int | None = None
    languages: frozenset[str] = frozenset()
    team: str | None = None
    outside_team: bool = True


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts; every weight is a finite number >= 0."""

    skills: float = 3
    goals: float = 2
    seniority: float = 1
    preference: float = 3
    time_zone: float = 1
    languages: float = 1
    cross_team: float = 1

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            label = field.name.replace("_", " ")
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"The weight for {label} must be a number, not {value!r}.")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"The weight for {label} must be zero or more, not {value!r}.")

    def of(self, criterion: str) -> float:
        return float(getattr(self, criterion))


class Objective(StrEnum):
    BEST_TOTAL = "best_total"
    MOST_MATCHED = "most_matched"


@dataclass(frozen=True)
class Pair:
    mentee: str
    mentor: str
    score: float
    reasons: dict[str, float]


@dataclass(frozen=True)
class Result:
    pairs: list[Pair]
    unmatched: dict[str, str]
    total: float
    objective: Objective


# --- scoring one pair ------------------------------------------------------------------


def _seniority_factor(gap: int) -> float:
    if gap <= 0:
        return 0.0
    if gap <= 3:
        return 1.0
    return 1.0 / (gap - 2)


def _time_zone_factor(a: int | None, b: int | None) -> float:
    if a is None or b is None:
        return 0.0
    hours = abs(a - b) % 24
    return max(0.0, 1.0 - min(hours, 24 - hours) / 12)


def _factors(mentee: Mentee, mentor: Mentor) -> dict[str, float]:
    sought, goals, ranked = mentee.skills_sought, mentee.goals, mentee.ranked
    return {
        "skills": len(sought & mentor.skills_offered) / len(sought) if sought else 0.0,
        "goals": len(goals & mentor.helps_with) / len(goals) if goals else 0.0,
        "seniority": _seniority_factor(mentor.seniority - mentee.seniority),
        "preference": (
            1.0 - ranked.index(mentor.key) / len(ranked) if mentor.key in ranked else 0.0
        ),
        "time_zone": _time_zone_factor(mentee.utc_offset, mentor.utc_offset),
        "languages": 1.0 if mentee.languages & mentor.languages else 0.0,
        "cross_team": (
            1.0
            if mentee.team is not None and mentor.team is not None and mentee.team != mentor.team
            else 0.0
        ),
    }


def forbidden(mentee: Mentee, mentor: Mentor) -> str | None:
    """Why a hard constraint forbids this pair, or None when it is allowed."""
    if mentor.key in mentee.excluded:
        return _EXCLUDED
    if mentor.key == mentee.key:
        return _THEMSELF
    if not mentor.outside_team and (mentor.team is None or mentor.team != mentee.team):
        return _OWN_TEAM
    return None


def score(mentee: Mentee, mentor: Mentor, weights: Weights) -> Pair | None:
    """The pair with its score and reasons, or None when a hard constraint forbids it."""
    if forbidden(mentee, mentor) is not None:
        return None
    reasons: dict[str, float] = {}
    total = 0.0
    # Summed in CRITERIA order, like the vectorised scorer, so both give the same float.
    for criterion, factor in _factors(mentee, mentor).items():
        contribution = weights.of(criterion) * factor
        total += contribution
        if contribution > 0:
            reasons[criterion] = contribution
    return Pair(mentee.key, mentor.key, total, reasons)


# --- scoring many pairs at once --------------------------------------------------------


def _set_matrix(sets: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> sparse.csr_array:
    rows = [i for i, items in enumerate(sets) for _ in items]
    cols = [vocabulary[item] for items in sets for item in items]
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_array((data, (rows, cols)), shape=(len(sets), max(len(vocabulary), 1)))


# Above this many cells a per-mentor or per-level table is computed block by block instead.
_TABLE_CELLS = 8_000_000


class _Overlap:
    """How many items each mentee's set shares with each mentor's: the sparse mentee rows
    times the mentors' sets as a dense table when it fits (each mentee has a few items,
    so a row is the sum of a few table rows), sparse times sparse otherwise. Counts of ones are
    small integers, exact in float32."""

    def __init__(self, left: Sequence[frozenset[str]], right: Sequence[frozenset[str]]):
        vocabulary: dict[str, int] = {}
        for items in (*left, *right):
            for item in items:
                vocabulary.setdefault(item, len(vocabulary))
        self.left = _set_matrix(left, vocabulary)
        right_matrix = _set_matrix(right, vocabulary).T
        self.dense = right_matrix.shape[0] * right_matrix.shape[1] <= _TABLE_CELLS
        self.right_dense = right_matrix.toarray() if self.dense else None
        self.right_sparse = None if self.dense else right_matrix.tocsc()

    def counts(self, rows: slice | IntArray) -> npt.NDArray[np.float32]:
        part = self.left[rows]
        if self.right_dense is not None:
            return np.asarray(part @ self.right_dense)  # each row adds a few mentor rows
        return np.asarray((part @ self.right_sparse).toarray())


class _ByLevel:
    """A criterion that depends on one number of the mentee (seniority, UTC offset): a
    table of weighted contributions per distinct value, gathered by row, or computed
    block by block when the table would be too large."""

    def __init__(
        self, values: FloatArray, n_mentors: int, contribution: Callable[[FloatArray], FloatArray]
    ):
        self.contribution = contribution
        levels, self.level = np.unique(values, return_inverse=True)
        self.values = values
        self.table = (
            contribution(levels[:, None]) if len(levels) * n_mentors <= _TABLE_CELLS else None
        )

    def of(self, rows: slice | IntArray) -> FloatArray:
        if self.table is not None:
            return np.asarray(self.table[self.level[rows]])
        return self.contribution(self.values[rows, None])


def _optional(values: Iterable[int | None]) -> FloatArray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


class _Scorer:
    """Scores blocks of mentees against every mentor with NumPy, giving exactly the
    floats ``score`` gives: the same factors, multiplied by the same weights and added in
    the same order. Adding a zero changes nothing, so the sparse criteria (preference,
    languages, cross-team) are added only where they are not zero."""

    def __init__(self, mentees: Sequence[Mentee], mentors: Sequence[Mentor], weights: Weights):
        self.weights = weights
        mentor_index = {m.key: j for j, m in enumerate(mentors)}
        self.n_mentors = n_mentors = len(mentors)
        self.skills = _Overlap(
            [e.skills_sought for e in mentees], [m.skills_offered for m in mentors]
        )
        self.goals = _Overlap([e.goals for e in mentees], [m.helps_with for m in mentors])
        self.languages = _Overlap([e.languages for e in mentees], [m.languages for m in mentors])
        self.sought = np.array([len(e.skills_sought) for e in mentees], dtype=np.float64)
        self.wanted = np.array([len(e.goals) for e in mentees], dtype=np.float64)
        mentor_seniority = np.array([m.seniority for m in mentors], dtype=np.float64)
        mentor_offset = _optional(m.utc_offset for m in mentors)
        seniority_weight, time_zone_weight = weights.of("seniority"), weights.of("time_zone")

        def seniority(mentee: FloatArray) -> FloatArray:
            gap = mentor_seniority[None, :] - mentee
            with np.errstate(divide="ignore"):
                factor = np.where(gap <= 0, 0.0, np.where(gap <= 3, 1.0, 1.0 / (gap - 2)))
            return seniority_weight * factor

        def time_zone(mentee: FloatArray) -> FloatArray:
            hours = np.abs(mentee - mentor_offset[None, :]) % 24
            factor = np.maximum(0.0, 1.0 - np.minimum(hours, 24 - hours) / 12)
            weighted: FloatArray = time_zone_weight * np.nan_to_num(factor, nan=0.0)
            return weighted

        self.seniority = _ByLevel(
            np.array([e.seniority for e in mentees], dtype=np.float64), n_mentors, seniority
        )
        self.time_zone = _ByLevel(_optional(e.utc_offset for e in mentees), n_mentors, time_zone)
        teams: dict[str, int] = {}
        self.mentee_team = np.array(
            [-1 if e.team is None else teams.setdefault(e.team, len(teams)) for e in mentees],
            dtype=np.int32,
        )
        self.mentor_team = np.array(
            [-1 if m.team is None else teams.setdefault(m.team, len(teams)) for m in mentors],
            dtype=np.int32,
        )
        self.mentor_team_known = self.mentor_team >= 0
        self.outside_team = np.array([m.outside_team for m in mentors], dtype=bool)
        pref_rows, pref_cols, pref_vals = [], [], []
        bar_rows, bar_cols = [], []
        for i, mentee in enumerate(mentees):
            seen: set[int] = set()
            for position, key in enumerate(mentee.ranked):
                j = mentor_index.get(key)
                if j is not None and j not in seen:  # first mention counts, as in score()
                    seen.add(j)
                    pref_rows.append(i)
                    pref_cols.append(j)
                    pref_vals.append(1.0 - position / len(mentee.ranked))
            for key in (*mentee.excluded, mentee.key):
                if (j := mentor_index.get(key)) is not None:
                    bar_rows.append(i)
                    bar_cols.append(j)
        shape = (len(mentees), n_mentors)
        self.preference = sparse.csr_array(
            (
                weights.of("preference") * np.array(pref_vals, dtype=np.float64),
                (pref_rows, pref_cols),
            ),
            shape=shape,
        )
        self.barred = sparse.csr_array((np.ones(len(bar_rows)), (bar_rows, bar_cols)), shape=shape)

    def block(self, start: int, stop: int) -> tuple[FloatArray, BoolArray]:
        """Scores of mentees[start:stop] against all mentors, and which pairs are allowed."""
        return self.rows(slice(start, stop))

    def rows(self, rows: slice | IntArray) -> tuple[FloatArray, BoolArray]:
        """Scores of the mentees ``rows`` (a slice or an index array) against all mentors,
        and which pairs are allowed."""
        weight = self.weights.of
        sought, wanted = self.sought[rows, None], self.wanted[rows, None]
        # skills, goals, seniority, preference, time_zone, languages, cross_team: CRITERIA.
        total = np.divide(
            self.skills.counts(rows),
            sought,
            where=sought > 0,
            out=np.zeros((len(sought), self.n_mentors)),
        )
        total *= weight("skills")
        goals = np.divide(
            self.goals.counts(rows), wanted, where=wanted > 0, out=np.zeros(total.shape)
        )
        goals *= weight("goals")
        total += goals
        del goals
        total += self.seniority.of(rows)
        preference = self.preference[rows].tocoo()
        total[preference.row, preference.col] += preference.data
        total += self.time_zone.of(rows)
        np.add(total, weight("languages"), out=total, where=self.languages.counts(rows) > 0)
        mentee_team = self.mentee_team[rows, None]
        same_team = (mentee_team == self.mentor_team[None, :]) & self.mentor_team_known[None, :]
        cross_team = (mentee_team >= 0) & self.mentor_team_known[None, :] & ~same_team
        np.add(total, weight("cross_team"), out=total, where=cross_team)
        allowed = same_team
        allowed |= self.outside_team[None, :]
        barred = self.barred[rows].tocoo()
        allowed[barred.row, barred.col] = False
        return total, allowed


def _blocks(n_rows: int, n_cols: int) -> Iterable[tuple[int, int]]:
    # About a million pairs per block keeps the temporary arrays near 10 MB each.
    size = max(1, 1_000_000 // max(n_cols, 1))
    for start in range(0, n_rows, size):
        yield start, min(start + size, n_rows)


# --- the exact assignment --------------------------------------------------------------


def _assign(
    n_rows: int, rows: IntArray, cols: IntArray, values: FloatArray, capacity: IntArray
) -> IntArray:
    """Maximum-value assignment of rows to columns with capacities, on the given edges
    (unique (row, col) pairs, values > 0). Returns each row's column, or -1.

    Each column becomes ``capacity`` slots, and the slots are what gets matched: each
    slot has a private dummy row of value 0 standing for "left empty", so a matching
    covering every slot always exists and the minimum-cost full matching (cost = W -
    value, all > 0 as LAPJVsp requires) is the maximum-value assignment: every full
    matching pays W per slot. Slots rather than rows on the covered side because there
    are fewer of them when places are scarce, and a row left unmatched then costs the
    solver nothing: five times faster at 10,000 mentees for 6,000 places.
    """
    result = np.full(n_rows, -1, dtype=np.int64)
    slot_start = np.concatenate([[0], np.cumsum(capacity)])
    n_slots = int(slot_start[-1])
    if n_rows == 0 or n_slots == 0:
        return result
    repeats = capacity[cols]
    edge_rows = np.repeat(rows, repeats)
    offsets = np.arange(len(edge_rows)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    edge_slots = np.repeat(slot_start[cols], repeats) + offsets
    edge_values = np.repeat(values, repeats)
    top = float(edge_values.max()) + 1.0 if len(edge_values) else 1.0
    graph = sparse.csr_array(
        (
            np.concatenate([top - edge_values, np.full(n_slots, top)]),
            (
                np.concatenate([edge_slots, np.arange(n_slots)]),
                np.concatenate([edge_rows, n_rows + np.arange(n_slots)]),
            ),
        ),
        shape=(n_slots, n_rows + n_slots),
    )
    slot_ind, row_ind = min_weight_full_bipartite_matching(graph)
    owner = np.repeat(np.arange(len(capacity)), capacity)
    real = row_ind < n_rows
    result[row_ind[real]] = owner[slot_ind[real]]
    return result


def _shortest_from(
    n_nodes: int, source: int, tails: IntArray, heads: IntArray, weights: FloatArray
) -> FloatArray:
    """Bellman-Ford distances from ``source`` that only relaxes edges leaving nodes whose
    distance changed in the previous pass (SciPy's ``bellman_ford`` always makes
    ``n_nodes`` passes, seconds at 12,000 nodes)."""
    order = np.argsort(tails, kind="stable")
    tails, heads, weights = tails[order], heads[order], weights[order]
    indptr = np.searchsorted(tails, np.arange(n_nodes + 1))
    distance = np.full(n_nodes, np.inf)
    distance[source] = 0.0
    frontier = np.array([source])
    for _ in range(n_nodes + 1):
        if not len(frontier):
            return distance
        starts, counts = indptr[frontier], indptr[frontier + 1] - indptr[frontier]
        edges = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        reached = np.full(n_nodes, np.inf)
        np.minimum.at(reached, heads[edges], distance[tails[edges]] + weights[edges])
        better = reached < distance
        distance[better] = reached[better]
        frontier = np.flatnonzero(better)
    raise ArithmeticError("negative cycle: the assignment was not optimal")


def _duals(
    n_rows: int,
    rows: IntArray,
    cols: IntArray,
    values: FloatArray,
    chosen: IntArray,
    capacity: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """Optimal LP duals (y per row, z per column) for the assignment ``chosen``.

    The LP max Σ v·x, Σ_col x <= 1 per row, Σ_row x <= capacity per column, x >= 0 has a
    totally unimodular matrix, so the optimal assignment is an optimal LP solution and
    duals y, z >= 0 with y_i + z_j >= v_ij on every edge, equality on chosen edges, y_i = 0
    for unmatched rows and z_j = 0 for columns with room exist. Those conditions are
    difference constraints; shortest distances from a reference node R solve them
    (with p = distance: y_i = p_i, z_j = -p_j).
    """
    n_cols = len(capacity)
    ref = n_rows + n_cols
    matched = np.flatnonzero(chosen >= 0)
    load = np.bincount(chosen[matched], minlength=n_cols)
    is_chosen = chosen[rows] == cols
    unmatched = np.flatnonzero(chosen < 0)
    room = np.flatnonzero(load < capacity)
    all_rows, all_cols = np.arange(n_rows), n_rows + np.arange(n_cols)
    tails = np.concatenate(
        [rows, n_rows + cols[is_chosen], all_rows, np.full(len(unmatched), ref),
         np.full(n_cols, ref), n_rows + room]
    )  # fmt: skip
    heads = np.concatenate(
        [n_rows + cols, rows[is_chosen], np.full(n_rows, ref), unmatched, all_cols,
         np.full(len(room), ref)]
    )  # fmt: skip
    weights = np.concatenate(
        [-values, values[is_chosen], np.zeros(n_rows + len(unmatched) + n_cols + len(room))]
    )
    distance = _shortest_from(ref + 1, ref, tails, heads, weights)
    return distance[:n_rows], -distance[n_rows:ref]


def _resolution(n_rows: int, n_cols: int) -> int:
    """Integer steps per best score, as many as keep every sum exact in a float64.

    Edge values are at most (n_rows + 1)·Q + 1 and the solver's and Bellman-Ford's sums
    add at most 2·n_rows + n_cols + 2 of them; keeping that under 2**53 / 4 leaves every
    intermediate an exactly represented integer.
    """
    budget = 2**53 // (4 * (2 * n_rows + n_cols + 2))
    return max(1, min(2**40, (budget - 2) // (n_rows + 1)))


def _top_per_row(values: FloatArray, k: int) -> tuple[IntArray, IntArray]:
    """(row, col) of up to k largest positive entries per row."""
    if values.shape[1] > k:
        cols = np.argpartition(-values, k - 1, axis=1)[:, :k]
    else:
        cols = np.broadcast_to(np.arange(values.shape[1]), values.shape)
    rows = np.broadcast_to(np.arange(values.shape[0])[:, None], cols.shape)
    keep = np.take_along_axis(values, cols, axis=1) > 0
    return rows[keep].astype(np.int64), cols[keep].astype(np.int64)


@dataclass(frozen=True)
class _Kept:
    """What the one scoring pass keeps: candidate pairs (``key = row * n_mentors + col``)
    with their scores, spare pairs (each row's next best) with theirs, and for the pairs
    kept nowhere an upper bound on their score by row and by column (-inf: none)."""

    k: int
    keys: IntArray
    scores: FloatArray
    spare_keys: IntArray
    spare_scores: FloatArray
    row_bound: FloatArray
    column_bound: FloatArray
    allowed_count: IntArray
    eligible_count: IntArray
    best_score: float


# What the scoring pass keeps, in multiples of k: each row's k best pairs are candidates
# and its next 2k spares; each column's 5k best are candidates too. Measured on the
# benchmark: with 5k per column the first solve is already the optimum.
_SPARE = 2
_COLUMN = 5


def _score_once(
    scorer: _Scorer,
    n: int,
    has_room: BoolArray,
    min_score: float,
    k: int,
    exhaustive: bool,
    progress: Callable[[int, int], None] | None,
) -> _Kept:
    """Scores every pair once, block by block, keeping what the solve and its proof need:
    every usable pair (``exhaustive``), or the candidates and spares above, with bounds
    on the pairs kept nowhere."""
    n_mentors = len(has_room)
    width = max(n_mentors, 1)
    row_k, column_k = k * (1 + _SPARE), k * _COLUMN
    allowed_count = np.zeros(n, dtype=np.int64)
    eligible_count = np.zeros(n, dtype=np.int64)
    row_bound = np.full(n, -np.inf)
    # Each column's best column_k + 1 (row, col, score, place), and the smallest of them
    # once there are that many: only scores above it can still enter.
    column_floor = np.full(n_mentors, -np.inf)
    pool = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64))
    waiting: list[tuple[IntArray, IntArray, FloatArray]] = []
    waiting_size = 0
    key_parts: list[IntArray] = [np.zeros(0, np.int64)]
    score_parts: list[FloatArray] = [np.zeros(0)]
    spare_key_parts: list[IntArray] = [np.zeros(0, np.int64)]
    spare_score_parts: list[FloatArray] = [np.zeros(0)]
    best_score = 0.0
    if progress is not None:
        progress(0, n)
    for start, stop in _blocks(n, n_mentors):
        scores, allowed = scorer.block(start, stop)
        eligible = allowed & (scores >= min_score)
        allowed_count[start:stop] = allowed.sum(axis=1)
        eligible_count[start:stop] = eligible.sum(axis=1)
        del allowed
        usable = eligible & has_room[None, :]
        del eligible
        if usable.any():
            best_score = max(best_score, float(scores[usable].max()))
        if exhaustive:
            r, c = np.nonzero(usable)
            key_parts.append((r + start) * width + c)
            score_parts.append(scores[r, c])
        else:
            ranked = np.where(usable, scores, -np.inf)
            r, c, place, row_bound[start:stop] = _best_per_row(ranked, row_k)
            lead = place < k
            key_parts.append((r[lead] + start) * width + c[lead])
            score_parts.append(scores[r[lead], c[lead]])
            spare_key_parts.append((r[~lead] + start) * width + c[~lead])
            spare_score_parts.append(scores[r[~lead], c[~lead]])
            r, c = np.nonzero(usable & (scores > column_floor[None, :]))
            waiting.append((r + start, c, scores[r, c]))
            waiting_size += len(r)
            if waiting_size > len(pool[0]) + n_mentors or stop == n:
                # Merged when the waiting entries outnumber the pool, so each entry is
                # sorted a few times at most; a floor that lags only lets more in.
                pool = _column_best(
                    np.concatenate([pool[0], *(w[0] for w in waiting)]),
                    np.concatenate([pool[1], *(w[1] for w in waiting)]),
                    np.concatenate([pool[2], *(w[2] for w in waiting)]),
                    column_k + 1,
                )
                waiting, waiting_size = [], 0
                at_floor = pool[3] == column_k
                column_floor[pool[1][at_floor]] = pool[2][at_floor]
        if progress is not None:
            progress(stop, n)
    # A pair of a column left out of its best column_k scores at most the next one, the
    # floor (-inf while the column had no more).
    best = pool[3] < column_k
    key_parts.append(pool[0][best] * width + pool[1][best])
    score_parts.append(pool[2][best])
    keys, scores = _unique_edges(key_parts, score_parts)
    return _Kept(
        k=k,
        keys=keys,
        scores=scores,
        spare_keys=np.concatenate(spare_key_parts),
        spare_scores=np.concatenate(spare_score_parts),
        row_bound=row_bound,
        column_bound=column_floor,
        allowed_count=allowed_count,
        eligible_count=eligible_count,
        best_score=best_score,
    )


def _unique_edges(
    key_parts: Sequence[IntArray], score_parts: Sequence[FloatArray]
) -> tuple[IntArray, FloatArray]:
    """Each pair once, sorted by key, with its score."""
    keys, first = np.unique(np.concatenate(key_parts), return_index=True)
    scores: FloatArray = np.concatenate(score_parts)[first]
    return keys.astype(np.int64), scores


def _column_best(
    rows: IntArray, cols: IntArray, values: FloatArray, k: int
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """The k largest values of each column among the given (row, col, value) entries,
    sorted by column then value (largest first), with each one's place in its column."""
    order = np.lexsort((-values, cols))
    rows, cols, values = rows[order], cols[order], values[order]
    place = np.arange(len(cols)) - np.searchsorted(cols, cols, side="left")
    keep = place < k
    return rows[keep], cols[keep], values[keep], place[keep]


def _best_per_row(ranked: FloatArray, k: int) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """(row, col, place in the row: 0 for its largest) of up to k largest finite
    entries per row, and per row the largest entry left out (-inf when none)."""
    n_rows, n_cols = ranked.shape
    if n_cols > k:
        part = np.argpartition(-ranked, k, axis=1)
        rest = ranked[np.arange(n_rows), part[:, k]]
        cols = part[:, :k]
    else:
        rest = np.full(n_rows, -np.inf)
        cols = np.broadcast_to(np.arange(n_cols), ranked.shape)
    values = np.take_along_axis(ranked, cols, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    cols = np.take_along_axis(cols, order, axis=1)
    values = np.take_along_axis(values, order, axis=1)
    rows = np.broadcast_to(np.arange(n_rows)[:, None], cols.shape)
    places = np.broadcast_to(np.arange(cols.shape[1]), cols.shape)
    keep = values > -np.inf
    return (
        rows[keep].astype(np.int64),
        cols[keep].astype(np.int64),
        places[keep].astype(np.int64),
        rest,
    )


def _unproved_rows(
    row_cap: FloatArray, column_cap: FloatArray, y: FloatArray, z: FloatArray
) -> IntArray:
    """Rows with a pair kept nowhere that the bound cannot clear: some column j with room
    (finite z_j) where min(row_cap_i, column_cap_j) > y_i + z_j. Sorting the columns by
    z makes it one search per row: the columns with z_j < row_cap_i - y_i are a prefix,
    and the prefix maximum of column_cap_j - z_j says whether one of them beats y_i."""
    room = np.isfinite(z)
    order = np.argsort(z[room], kind="stable")
    prices = z[room][order]
    gains = np.maximum.accumulate((column_cap[room] - z[room])[order]) if len(prices) else prices
    reach = np.searchsorted(prices, row_cap - y - 0.5, side="left")
    beaten = np.zeros(len(y), dtype=bool)
    some = reach > 0
    beaten[some] = gains[reach[some] - 1] > y[some] + 0.5
    return np.flatnonzero(beaten)


def _check_keys(mentees: Sequence[Mentee], mentors: Sequence[Mentor]) -> None:
    for label, keys in (("mentee", [e.key for e in mentees]), ("mentor", [m.key for m in mentors])):
        if len(set(keys)) != len(keys):
            twice = sorted(k for k, count in Counter(keys).items() if count > 1)
            raise ValueError(f"Each {label} may appear once; repeated: {', '.join(twice)}.")
    for mentor in mentors:
        if mentor.capacity < 0:
            raise ValueError(f"Mentor {mentor.key}'s capacity must be zero or more.")


def _no_allowed(
    mentee: Mentee, mentors: Sequence[Mentor], keys: frozenset[str], team_only: Counter[str | None]
) -> str:
    """Why no mentor is allowed for this mentee: every rule that rules out one of them.
    Set operations rather than a loop over mentors, as thousands may be unmatchable."""
    if not mentors:
        return NO_MENTORS
    why = []
    if mentee.excluded & keys:
        why.append(_EXCLUDED)
    if mentee.key in keys:
        why.append(_THEMSELF)
    own = team_only[mentee.team] if mentee.team is not None else 0
    if team_only.total() > own:
        why.append(_OWN_TEAM)
    return "no allowed mentor: " + "; ".join(why)


def _result(
    mentees: Sequence[Mentee],
    mentors: Sequence[Mentor],
    weights: Weights,
    chosen: dict[int, int],
    allowed_count: IntArray,
    eligible_count: IntArray,
    objective: Objective,
) -> Result:
    pairs = []
    for i, j in sorted(chosen.items()):
        pair = score(mentees[i], mentors[j], weights)
        if pair is None:  # pragma: no cover - only allowed pairs reach here
            raise AssertionError(f"{mentees[i].key} was matched with a forbidden mentor")
        pairs.append(pair)
    unmatched = {}
    keys = frozenset(m.key for m in mentors)
    team_only = Counter(m.team for m in mentors if not m.outside_team)
    for i, mentee in enumerate(mentees):
        if i in chosen:
            continue
        if allowed_count[i] == 0:
            unmatched[mentee.key] = _no_allowed(mentee, mentors, keys, team_only)
        elif eligible_count[i] == 0:
            unmatched[mentee.key] = BELOW_MINIMUM
        else:
            # At the optimum a suitable mentor with room would have been used: any pair
            # adds a positive value to both objectives.
            unmatched[mentee.key] = ALL_FULL
    return Result(pairs, unmatched, math.fsum(p.score for p in pairs), objective)


def match(
    mentees: Sequence[Mentee],
    mentors: Sequence[Mentor],
    weights: Weights,
    *,
    objective: Objective = Objective.BEST_TOTAL,
    min_score: float = 0.0,
    pinned: Iterable[tuple[str, str]] = (),
    progress: Callable[[int, int], None] | None = None,
    candidates_per_mentee: int | None = None,
) -> Result:
    """The optimal assignment of mentees to mentors under capacities.

    ``BEST_TOTAL`` maximises the total score and, among assignments with that total,
    matches as many people as possible; ``MOST_MATCHED`` maximises the number matched and
    then the total. Pairs under ``min_score`` or forbidden by a hard constraint are never
    proposed; ``pinned`` (mentee key, mentor key) pairs are kept whatever their score and
    use their mentor's capacity (ValueError when a hard constraint forbids one or it
    would overfill the mentor). ``progress(done, total)`` reports mentees scored.

    Exactness. Scores are mapped to integers q = round(score / best · Q), with Q from
    ``_resolution`` (about 10**7 at 10,000 mentees, 10**12 for small programs), and each
    edge gets an integer value v, so every sum stays exact in float64:

    - BEST_TOTAL: v = q·(N+1) + 1 with N free mentees. An assignment X is worth
      (N+1)·Σq + |X|, and |X| <= N < N+1, so a larger Σq always wins and equal Σq are
      broken by |X|: lexicographic (total, matched).
    - MOST_MATCHED: v = q + N·Q + 1. X is worth |X|·(N·Q + 1) + Σq with Σq <= N·Q, so one
      more pair outweighs any difference of totals: lexicographic (matched, total).

    So the optimum is exact for scores on a grid of best/Q (a pair's rounding is at most
    half a step); ``Pair.score`` and ``Result.total`` report the unrounded scores.

    Large programs cannot afford every pair times every capacity slot, so the solver
    runs on candidates and proves the answer optimal for all pairs. One scoring pass
    (``_score_once``) keeps each mentee's k = ``candidates_per_mentee`` best mentors and
    each mentor's 5k best mentees as candidates, each mentee's next 2k mentors as
    spares with their scores, and for every other pair an upper bound: its mentee's
    best score left out (row bound) and its mentor's (column bound). After the solve,
    ``_duals`` gives LP duals y, z of the candidate optimum, and the certificate is
    y_i + z_j >= v_ij for every allowed pair above the minimum with a mentor who has
    room: exactly, from their kept scores, for candidates (by construction) and spares;
    for a pair kept nowhere, v_ij <= value(min(row bound, column bound)) <= y_i + z_j
    (``_unproved_rows`` finds the mentees for which that bound is not enough, and only
    those are scored again, exactly). The duals are then feasible for the full problem
    and their objective equals the assignment's value, so by weak duality nothing beats
    it. Pairs that fail join the candidates and the solve repeats; it ends because each
    round adds at least one pair not there before. Small programs use every pair at once
    and skip the check.
    """
    _check_keys(mentees, mentors)
    if candidates_per_mentee is not None and candidates_per_mentee < 1:
        raise ValueError("candidates_per_mentee must be at least 1.")
    mentee_index = {e.key: i for i, e in enumerate(mentees)}
    mentor_index = {m.key: j for j, m in enumerate(mentors)}
    capacity = np.array([m.capacity for m in mentors], dtype=np.int64)
    chosen: dict[int, int] = {}
    for mentee_key, mentor_key in pinned:
        if mentee_key not in mentee_index:
            raise ValueError(f"Cannot pin {mentee_key}: not a mentee of this program.")
        if mentor_key not in mentor_index:
            raise ValueError(f"Cannot pin to {mentor_key}: not a mentor of this program.")
        i, j = mentee_index[mentee_key], mentor_index[mentor_key]
        if i in chosen:
            raise ValueError(f"{mentee_key} is pinned to more than one mentor.")
        if (reason := forbidden(mentees[i], mentors[j])) is not None:
            raise ValueError(f"Cannot pin {mentee_key} with {mentor_key}: {reason}.")
        if capacity[j] == 0:
            raise ValueError(f"Cannot pin {mentee_key} with {mentor_key}: the mentor is full.")
        capacity[j] -= 1
        chosen[i] = j

    free = [i for i in range(len(mentees)) if i not in chosen]
    n, n_mentors = len(free), len(mentors)
    scorer = _Scorer([mentees[i] for i in free], mentors, weights)
    exhaustive = candidates_per_mentee is None and n * n_mentors <= 200_000
    has_room = capacity > 0
    kept = _score_once(
        scorer, n, has_room, min_score, candidates_per_mentee or 10, exhaustive, progress
    )
    allowed_count = np.zeros(len(mentees), dtype=np.int64)
    eligible_count = np.zeros(len(mentees), dtype=np.int64)
    allowed_count[free] = kept.allowed_count
    eligible_count[free] = kept.eligible_count

    resolution = _resolution(n, n_mentors)
    scale = resolution / kept.best_score if kept.best_score > 0 else 0.0

    def value_of(scores: FloatArray) -> FloatArray:
        with np.errstate(invalid="ignore"):
            q = np.rint(scores * scale)
        best_total = objective is Objective.BEST_TOTAL
        value = q * (n + 1) + 1 if best_total else q + (n * resolution + 1)
        return np.where(np.isneginf(scores), -np.inf, value)  # -inf: nothing left out

    width = max(n_mentors, 1)
    keys, edge_scores = kept.keys, kept.scores
    spare_keys, spare_scores = kept.spare_keys, kept.spare_scores
    row_cap, column_cap = value_of(kept.row_bound), value_of(kept.column_bound)
    while True:
        rows, cols = keys // width, keys % width
        values = value_of(edge_scores)
        assignment = _assign(n, rows, cols, values, capacity)
        if exhaustive:
            break
        y, z = _duals(n, rows, cols, values, assignment, capacity)
        z = np.where(has_room, z, np.inf)  # a full mentor takes nobody new whatever the price
        # Pairs kept aside by the scoring pass: checked exactly, from their kept scores.
        late = value_of(spare_scores) - y[spare_keys // width] - z[spare_keys % width] > 0.5
        new_keys, new_scores = [spare_keys[late]], [spare_scores[late]]
        spare_keys, spare_scores = spare_keys[~late], spare_scores[~late]
        # Pairs kept nowhere: cleared by their bound, or rescored when it cannot.
        doubtful = _unproved_rows(row_cap, column_cap, y, z)
        per_chunk = max(1, 1_000_000 // width)
        for at in range(0, len(doubtful), per_chunk):
            chunk = doubtful[at : at + per_chunk]
            scores, allowed = scorer.rows(chunk)
            eligible = allowed & (scores >= min_score) & has_room[None, :]
            slack = value_of(scores) - y[chunk, None] - z[None, :]
            r, c = _top_per_row(np.where(eligible & (slack > 0.5), slack, 0.0), kept.k)
            new_keys.append(chunk[r] * width + c)
            new_scores.append(scores[r, c])
        if not sum(len(part) for part in new_keys):
            break
        keys, edge_scores = _unique_edges([keys, *new_keys], [edge_scores, *new_scores])

    for row, column in enumerate(assignment):
        if column >= 0:
            chosen[free[row]] = int(column)
    return _result(mentees, mentors, weights, chosen, allowed_count, eligible_count, objective)


def greedy(
    mentees: Sequence[Mentee],
    mentors: Sequence[Mentor],
    weights: Weights,
    *,
    min_score: float = 0.0,
) -> Result:
    """The baseline ``match`` is measured against: take the best remaining pair while
    its mentee is free and its mentor has room. Fast and often good, never proven best."""
    _check_keys(mentees, mentors)
    n, n_mentors = len(mentees), len(mentors)
    scorer = _Scorer(mentees, mentors, weights)
    allowed_count = np.zeros(n, dtype=np.int64)
    eligible_count = np.zeros(n, dtype=np.int64)
    score_parts, row_parts, col_parts = [], [], []
    for start, stop in _blocks(n, n_mentors):
        scores, allowed = scorer.block(start, stop)
        eligible = allowed & (scores >= min_score)
        allowed_count[start:stop] = allowed.sum(axis=1)
        eligible_count[start:stop] = eligible.sum(axis=1)
        r, c = np.nonzero(eligible)
        score_parts.append(scores[r, c])
        row_parts.append((r + start).astype(np.int32))
        col_parts.append(c.astype(np.int32))
    all_scores = np.concatenate([*score_parts, np.zeros(0)])
    all_rows = np.concatenate([*row_parts, np.zeros(0, np.int32)])
    all_cols = np.concatenate([*col_parts, np.zeros(0, np.int32)])
    order = np.lexsort((all_cols, all_rows, -all_scores))
    room = np.array([m.capacity for m in mentors], dtype=np.int64)
    taken = np.zeros(n, dtype=bool)
    chosen: dict[int, int] = {}
    # Filter each batch with NumPy so the Python loop only sees pairs still possible.
    for start in range(0, len(order), 100_000):
        batch = order[start : start + 100_000]
        batch = batch[~taken[all_rows[batch]] & (room[all_cols[batch]] > 0)]
        for index in batch:
            i, j = int(all_rows[index]), int(all_cols[index])
            if not taken[i] and room[j] > 0:
                taken[i] = True
                room[j] -= 1
                chosen[i] = j
        if taken.all() or not room.any():
            break
    return _result(
        mentees, mentors, weights, chosen, allowed_count, eligible_count, Objective.BEST_TOTAL
    )
