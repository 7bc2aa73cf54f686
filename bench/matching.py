"""The matcher at program scale: exact optimum, time and peak memory.

Seeded synthetic programs (capacity 1-5, a minimum score of 5) at 2,000 mentees x 400
mentors, 10,000 x 2,000 (the target: exact in under 5 s and 1 GB on 2 cores) and, with
``--huge``, 100,000 x 20,000. Each solve runs in a child process, so its peak memory
(max RSS, the interpreter and the program's data included) is its own. For each size
and objective it prints seconds (wall and CPU), peak memory, total, share matched, whether
the answer is proved optimal, for:

- ``exact``: ``cairn.mentoring.matching.match`` (proved: it returns only after its
  duality certificate holds for every pair);
- ``previous`` (with ``--previous``): the solver before issue 15, kept unchanged in
  ``bench/previous/matching_before_issue15.py``; the two totals must be equal;
- ``greedy``: the baseline, never proved, with its share of the optimum.

Run: make bench, or ``python bench/matching.py [--huge] [--previous] [--only SIZE]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cairn.mentoring.matching import Mentee, Mentor, Objective

SIZES = {"2k": (2_000, 400), "10k": (10_000, 2_000), "100k": (100_000, 20_000)}
SEED, MIN_SCORE = 2024, 5.0
SKILLS = [f"skill-{n}" for n in range(60)]
GOALS = [f"goal-{n}" for n in range(20)]
LANGUAGES = ["en", "fr", "de", "es", "pt", "pl", "hi", "ja"]
TEAMS = [f"team-{n}" for n in range(40)]


def program(
    rng: random.Random, n_mentees: int, n_mentors: int
) -> tuple[list[Mentee], list[Mentor]]:
    def offset() -> int | None:
        return None if rng.random() < 0.1 else rng.choice([-8, -5, 0, 1, 2, 5, 8, 9])

    def languages() -> frozenset[str]:
        return frozenset({"en"} | set(rng.sample(LANGUAGES, rng.randint(0, 2))))

    mentors = [
        Mentor(
            key=f"mentor-{n}",
            capacity=rng.randint(1, 5),
            skills_offered=frozenset(rng.sample(SKILLS, rng.randint(2, 8))),
            helps_with=frozenset(rng.sample(GOALS, rng.randint(1, 5))),
            seniority=rng.randint(2, 10),
            utc_offset=offset(),
            languages=languages(),
            team=rng.choice(TEAMS),
            outside_team=rng.random() > 0.05,
        )
        for n in range(n_mentors)
    ]
    mentees = []
    for n in range(n_mentees):
        team = rng.choice(TEAMS)
        mentees.append(
            Mentee(
                key=f"mentee-{n}",
                skills_sought=frozenset(rng.sample(SKILLS, rng.randint(1, 4))),
                goals=frozenset(rng.sample(GOALS, rng.randint(1, 3))),
                seniority=rng.randint(0, 8),
                ranked=tuple(m.key for m in rng.sample(mentors, rng.randint(0, 5))),
                utc_offset=offset(),
                languages=languages(),
                team=team,
                # A manager or two and a past pair: the caller's exclusions.
                excluded=frozenset(m.key for m in rng.sample(mentors, rng.randint(0, 3))),
            )
        )
    return mentees, mentors


def solver_module(solver: str) -> ModuleType:
    if solver == "previous":
        spec = importlib.util.spec_from_file_location(
            "previous_matching", ROOT / "bench" / "previous" / "matching_before_issue15.py"
        )
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
        return module
    from cairn.mentoring import matching

    return matching


def child(size: str, solver: str, objective: str) -> None:
    """One solve, in this process: prints its figures as JSON."""
    n_mentees, n_mentors = SIZES[size]
    module = solver_module(solver)
    mentees, mentors = program(random.Random(SEED), n_mentees, n_mentors)  # noqa: S311
    # The solvers' own classes (the previous module has its own Mentee/Mentor/Weights).
    mentees = [module.Mentee(**vars(e)) for e in mentees]
    mentors = [module.Mentor(**vars(m)) for m in mentors]
    weights = module.Weights()
    started, cpu_started = time.perf_counter(), time.process_time()
    if solver == "greedy":
        result = module.greedy(mentees, mentors, weights, min_score=MIN_SCORE)
    else:
        result = module.match(
            mentees, mentors, weights, objective=module.Objective(objective), min_score=MIN_SCORE
        )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "total": result.total,
                      "matched": len(result.pairs)}))  # fmt: skip


def run_child(size: str, solver: str, objective: str) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603 - this script, with its own arguments
        [sys.executable, __file__, "--child", size, solver, objective],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge", action="store_true", help="also 100,000 x 20,000")
    parser.add_argument("--previous", action="store_true", help="also the solver before issue 15")
    parser.add_argument("--only", choices=sorted(SIZES), help="one size only")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    sizes = [args.only] if args.only else ["2k", "10k", *(["100k"] if args.huge else [])]
    header = f"{'size':<16}{'objective':<14}{'solver':<10}{'seconds':>9}{'CPU s':>8}{'peak MB':>9}"
    print(f"{header}{'total':>12}{'matched':>9}{'proved':>8}{'of best':>9}")
    for size in sizes:
        n_mentees, n_mentors = SIZES[size]
        label = f"{n_mentees:,} x {n_mentors:,}"
        greedy = run_child(size, "greedy", "best_total")
        for objective in Objective:
            best = run_child(size, "exact", objective.value)
            rows = [("exact", best, "yes")]
            if args.previous:
                previous = run_child(size, "previous", objective.value)
                rows.append(("previous", previous, "yes"))
                if (previous["total"], previous["matched"]) != (best["total"], best["matched"]):
                    print(f"DIFFERENT: previous {previous}, exact {best}")
            rows.append(("greedy", greedy, "no"))
            for name, figures, proved in rows:
                print(
                    f"{label:<16}{objective.value:<14}{name:<10}{figures['seconds']:>9.2f}{figures['cpu']:>8.2f}"
                    f"{figures['peak_mb']:>9.0f}{figures['total']:>12.1f}"
                    f"{figures['matched'] / n_mentees:>9.1%}{proved:>8}"
                    f"{figures['total'] / best['total']:>9.2%}",
                    flush=True,
                )
    print(
        "\nseconds: wall clock of the solve; CPU s: its processor time, all threads (on a"
        " busy machine the fairer figure).\npeak MB: the child process's max RSS"
        " (interpreter and program data included)."
        "\ngreedy is run once per size: it has no objective. of best: share of exact's total."
    )


if __name__ == "__main__":
    main()
