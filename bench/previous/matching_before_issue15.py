"""The matcher as it was before issue 15 (commit b0497f2), kept unchanged so that
``bench/matching.py --previous`` can measure it beside the current one and check that
both reach the same total. Not used by Cairn.

Mentor-mentee matching: a score per pair and an exactly optimal assignment.

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
    data = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_array((data, (rows, cols)), shape=(len(sets), max(len(vocabulary), 1)))


def _overlap(
    left: Sequence[frozenset[str]], right: Sequence[frozenset[str]]
) -> tuple[sparse.csr_array, sparse.csr_array]:
    vocabulary: dict[str, int] = {}
    for items in (*left, *right):
        for item in items:
            vocabulary.setdefault(item, len(vocabulary))
    return _set_matrix(left, vocabulary), _set_matrix(right, vocabulary).T.tocsc()


def _optional(values: Iterable[int | None]) -> FloatArray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


class _Scorer:
    """Scores blocks of mentees against every mentor with NumPy, giving exactly the
    floats ``score`` gives (same factors, same order of additions)."""

    def __init__(self, mentees: Sequence[Mentee], mentors: Sequence[Mentor], weights: Weights):
        self.weights = weights
        mentor_index = {m.key: j for j, m in enumerate(mentors)}
        self.n_mentors = len(mentors)
        self.skills = _overlap(
            [e.skills_sought for e in mentees], [m.skills_offered for m in mentors]
        )
        self.goals = _overlap([e.goals for e in mentees], [m.helps_with for m in mentors])
        self.languages = _overlap([e.languages for e in mentees], [m.languages for m in mentors])
        self.sought = np.array([len(e.skills_sought) for e in mentees], dtype=np.float64)
        self.wanted = np.array([len(e.goals) for e in mentees], dtype=np.float64)
        self.mentee_seniority = np.array([e.seniority for e in mentees], dtype=np.int64)
        self.mentor_seniority = np.array([m.seniority for m in mentors], dtype=np.int64)
        self.mentee_offset = _optional(e.utc_offset for e in mentees)
        self.mentor_offset = _optional(m.utc_offset for m in mentors)
        teams: dict[str, int] = {}
        self.mentee_team = np.array(
            [-1 if e.team is None else teams.setdefault(e.team, len(teams)) for e in mentees]
        )
        self.mentor_team = np.array(
            [-1 if m.team is None else teams.setdefault(m.team, len(teams)) for m in mentors]
        )
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
        shape = (len(mentees), len(mentors))
        self.preference = sparse.csr_array((pref_vals, (pref_rows, pref_cols)), shape=shape)
        self.barred = sparse.csr_array((np.ones(len(bar_rows)), (bar_rows, bar_cols)), shape=shape)

    def block(self, start: int, stop: int) -> tuple[FloatArray, BoolArray]:
        """Scores of mentees[start:stop] against all mentors, and which pairs are allowed."""
        rows = slice(start, stop)

        def shared(pair: tuple[sparse.csr_array, sparse.csc_array]) -> FloatArray:
            return np.asarray((pair[0][rows] @ pair[1]).toarray(), dtype=np.float64)

        with np.errstate(divide="ignore", invalid="ignore"):
            skills = np.where(
                self.sought[rows, None] > 0, shared(self.skills) / self.sought[rows, None], 0.0
            )
            goals = np.where(
                self.wanted[rows, None] > 0, shared(self.goals) / self.wanted[rows, None], 0.0
            )
            gap = self.mentor_seniority[None, :] - self.mentee_seniority[rows, None]
            seniority = np.where(gap <= 0, 0.0, np.where(gap <= 3, 1.0, 1.0 / (gap - 2)))
        hours = np.abs(self.mentee_offset[rows, None] - self.mentor_offset[None, :]) % 24
        time_zone = np.maximum(0.0, 1.0 - np.minimum(hours, 24 - hours) / 12)
        time_zone = np.nan_to_num(time_zone, nan=0.0)
        mentee_team = self.mentee_team[rows, None]
        mentor_team = self.mentor_team[None, :]
        factors = {
            "skills": skills,
            "goals": goals,
            "seniority": seniority,
            "preference": self.preference[rows].toarray(),
            "time_zone": time_zone,
            "languages": (shared(self.languages) > 0).astype(np.float64),
            "cross_team": (
                (mentee_team >= 0) & (mentor_team >= 0) & (mentee_team != mentor_team)
            ).astype(np.float64),
        }
        total = np.zeros((stop - start, self.n_mentors))
        for criterion in CRITERIA:
            total = total + self.weights.of(criterion) * factors[criterion]
        allowed = self.barred[rows].toarray() == 0
        allowed &= self.outside_team[None, :] | ((mentor_team >= 0) & (mentee_team == mentor_team))
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

    Each column becomes ``capacity`` slots, and each row gets a private dummy slot of
    value 0 standing for "unmatched", so a matching covering every row always exists and
    the minimum-cost full matching (cost = W - value, all > 0 as LAPJVsp requires) is
    the maximum-value assignment: every full matching pays W per row.
    """
    result = np.full(n_rows, -1, dtype=np.int64)
    if n_rows == 0:
        return result
    slot_start = np.concatenate([[0], np.cumsum(capacity)])
    n_slots = int(slot_start[-1])
    repeats = capacity[cols]
    edge_rows = np.repeat(rows, repeats)
    offsets = np.arange(len(edge_rows)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    edge_cols = np.repeat(slot_start[cols], repeats) + offsets
    edge_values = np.repeat(values, repeats)
    top = float(edge_values.max()) + 1.0 if len(edge_values) else 1.0
    graph = sparse.csr_array(
        (
            np.concatenate([top - edge_values, np.full(n_rows, top)]),
            (
                np.concatenate([edge_rows, np.arange(n_rows)]),
                np.concatenate([edge_cols, n_slots + np.arange(n_rows)]),
            ),
        ),
        shape=(n_rows, n_slots + n_rows),
    )
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    owner = np.repeat(np.arange(len(capacity)), capacity)
    real = col_ind < n_slots
    result[row_ind[real]] = owner[col_ind[real]]
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
    runs on candidates (each mentee's ``candidates_per_mentee`` best mentors and each
    mentor's as many best mentees) and then proves the answer optimal for all pairs: it
    computes LP duals y, z of the candidate optimum (``_duals``) and checks
    y_i + z_j >= v_ij on every allowed pair above the minimum. Those duals are then
    feasible for the full problem and their objective equals the assignment's value, so
    by weak duality nothing beats it. Pairs that fail the check join the candidates and
    the solve repeats; it ends because each round adds at least one pair. Small programs
    use every pair at once and skip the check.
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
    free_mentees = [mentees[i] for i in free]
    n, n_mentors = len(free), len(mentors)
    scorer = _Scorer(free_mentees, mentors, weights)
    allowed_count = np.zeros(len(mentees), dtype=np.int64)
    eligible_count = np.zeros(len(mentees), dtype=np.int64)
    free_index = np.array(free, dtype=np.int64)
    exhaustive = candidates_per_mentee is None and n * n_mentors <= 200_000
    k = candidates_per_mentee or 10
    width = max(n_mentors, 1)
    key_parts: list[IntArray] = [np.zeros(0, np.int64)]
    score_parts: list[FloatArray] = [np.zeros(0)]
    mentor_best = np.full((0, n_mentors), -np.inf)
    mentor_best_rows = np.zeros((0, n_mentors), dtype=np.int64)
    best_score = 0.0
    has_room = capacity > 0
    if progress is not None:
        progress(0, n)
    for start, stop in _blocks(n, n_mentors):
        scores, allowed = scorer.block(start, stop)
        eligible = allowed & (scores >= min_score)
        allowed_count[free_index[start:stop]] = allowed.sum(axis=1)
        eligible_count[free_index[start:stop]] = eligible.sum(axis=1)
        usable = eligible & has_room[None, :]
        if usable.any():
            best_score = max(best_score, float(scores[usable].max()))
        if exhaustive:
            r, c = np.nonzero(usable)
        else:
            # Rank by score; the +1 keeps zero-score pairs, which are still worth a match.
            ranked = np.where(usable, scores + 1.0, 0.0)
            r, c = _top_per_row(ranked, k)
            both = np.concatenate([mentor_best, ranked])
            block_rows = np.repeat(np.arange(start, stop)[:, None], n_mentors, axis=1)
            both_rows = np.concatenate([mentor_best_rows, block_rows])
            if len(both) > k:
                keep = np.argpartition(-both, k - 1, axis=0)[:k]
                mentor_best = np.take_along_axis(both, keep, axis=0)
                mentor_best_rows = np.take_along_axis(both_rows, keep, axis=0)
            else:
                mentor_best, mentor_best_rows = both, both_rows
        key_parts.append((r.astype(np.int64) + start) * width + c)
        score_parts.append(scores[r, c])
        if progress is not None:
            progress(stop, n)
    if not exhaustive:
        kept = mentor_best > 0
        cols_grid = np.broadcast_to(np.arange(n_mentors), mentor_best.shape)
        key_parts.append(mentor_best_rows[kept] * width + cols_grid[kept])
        score_parts.append(mentor_best[kept] - 1.0)

    resolution = _resolution(n, n_mentors)
    scale = resolution / best_score if best_score > 0 else 0.0

    def value_of(scores: FloatArray) -> FloatArray:
        q = np.rint(scores * scale)
        if objective is Objective.BEST_TOTAL:
            return q * (n + 1) + 1
        return q + (n * resolution + 1)

    while True:
        edge_keys, first = np.unique(np.concatenate(key_parts), return_index=True)
        edge_scores = np.concatenate(score_parts)[first]
        key_parts, score_parts = [edge_keys], [edge_scores]
        rows, cols = edge_keys // width, edge_keys % width
        values = value_of(edge_scores)
        assignment = _assign(n, rows, cols, values, capacity)
        if exhaustive:
            break
        y, z = _duals(n, rows, cols, values, assignment, capacity)
        z = np.where(has_room, z, np.inf)  # a full mentor takes nobody new whatever the price
        violations = 0
        for start, stop in _blocks(n, n_mentors):
            scores, allowed = scorer.block(start, stop)
            eligible = allowed & (scores >= min_score) & has_room[None, :]
            slack = value_of(scores) - y[start:stop, None] - z[None, :]
            r, c = _top_per_row(np.where(eligible & (slack > 0.5), slack, 0.0), k)
            violations += len(r)
            key_parts.append((r + start) * width + c)
            score_parts.append(scores[r, c])
        if not violations:
            break

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
