"""The tables of the person's and the manager's insights pages, from counts.py's
figures: what each table shows, how it is labelled, and which of its figures are
group figures (suppressed under five people, guarded against differencing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from cairn.coaching.models import Cadence, Direction, Engagement, EngagementKind
from cairn.growth.models import ObjectiveStatus
from cairn.insights import counts
from cairn.insights.counts import EngagementFigures, FollowThrough, Window
from cairn.insights.figures import Figure, Pages, Row, Table, guard
from cairn.people.models import Person

CADENCE_HELP = (
    "Cadence kept: the sessions held in the last quarter (the 91 days before today) "
    "against the sessions your agreed cadence expects in the part of it in which the "
    "engagement was agreed and open, capped at 100%. An engagement too new to expect "
    "a session yet shows –."
)


def _kind(kind: str) -> str:
    return str(EngagementKind(kind).label)


def _cadence(cadence: str) -> str:
    return str(Cadence(cadence).label)


def _date(value: dt.datetime | None) -> Figure:
    if value is None:
        return Figure.none()
    return Figure.own(timezone.localdate(value), kind="date")


def _of(done: int, due: int) -> Figure:
    return Figure.text(f"{done} of {due}") if due else Figure.none()


def _share(part: int, whole: int) -> Figure:
    return Figure.own(part / whole, kind="percent") if whole else Figure.none()


# ---------------------------------------------------------------- a person's own


def my_cadence(person: Person, window: Window) -> Table:
    figures = counts.engagement_figures(Engagement.objects.for_party(person), window)
    rows = [
        Row(
            f"{_kind(f.kind)} with {f.other_name(person)}",
            [
                Figure.text(_cadence(f.cadence)),
                Figure.own(f.held),
                Figure.own(f.expected),
                Figure.own(f.kept, kind="percent"),
                _date(f.last_met),
            ],
        )
        for f in figures
    ]
    return Table(
        id="cadence",
        caption="My engagements against their cadence, last quarter",
        columns=["Engagement", "Cadence", "Held", "Expected", "Cadence kept", "Last met"],
        rows=rows,
        chart="bar",
        charted=[3],
        help=CADENCE_HELP,
        empty="No agreed one-on-ones or coaching yet. Start with your manager, or "
        "find a mentor or coach on the Mentoring page.",
    )


def my_action_items(person: Person, window: Window) -> Table:
    by_month = counts.action_items_by_month(person, window.today)
    rows = []
    if by_month:
        for first in counts.months(window.today):
            item = by_month.get(first, FollowThrough())
            rows.append(
                Row(
                    counts.month_label(first),
                    [Figure.own(item.due), Figure.own(item.done), Figure.own(item.on_time)],
                )
            )
    return Table(
        id="action-items",
        caption="My action items by the month they were due",
        columns=["Month", "Due", "Done", "Done on time"],
        rows=rows,
        chart="line",
        help="Action items of your sessions due in each of the last twelve months (up to "
        "today). On time: done on or before the day it was due, in your time zone.",
        empty="No action items due yet. Agree one at the end of your next session.",
    )


def my_objectives(person: Person) -> Table:
    by_status = counts.objectives_by_status(person)
    rows = (
        [
            Row(str(status.label), [Figure.own(by_status.get(status.value, 0))])
            for status in ObjectiveStatus
        ]
        if by_status
        else []
    )
    return Table(
        id="objectives",
        caption="My objectives by status",
        columns=["Status", "Objectives"],
        rows=rows,
        chart="bar",
        empty="No objectives yet. Add one to your development plan on My growth.",
    )


def my_scores(person: Person, window: Window) -> Table:
    by_month = counts.scores_by_month(person, window.today)
    rows = []
    if by_month:
        for first in counts.months(window.today):
            n, average = by_month.get(first, (0, None))
            rows.append(
                Row(
                    counts.month_label(first),
                    [
                        Figure.own(n),
                        Figure.own(average, kind="decimal")
                        if average is not None
                        else Figure.none(),
                    ],
                )
            )
    return Table(
        id="scores",
        caption="My goal-attainment scores by month",
        columns=["Month", "Check-ins with a score", "Average score (-2 to +2)"],
        rows=rows,
        chart="line",
        charted=[1],
        help="Where your check-ins placed you on your objectives' goal-attainment "
        "scales: -2 much less than expected, 0 as expected, +2 much more.",
        empty="No scored check-ins yet. Give an objective a scale and check in on it.",
    )


def my_feedback(person: Person) -> Table:
    found = counts.feedback_counts(person)
    rows = [
        Row("Requests for feedback I sent", [Figure.own(found.requests)]),
        Row("People I asked", [Figure.own(found.people_asked)]),
        Row("Requests I answered", [Figure.own(found.answered)]),
        Row("Feedback I gave unasked", [Figure.own(found.given)]),
        Row("Feedback I received unasked", [Figure.own(found.received)]),
    ]
    if not any(row.cells[0].value for row in rows):
        rows = []
    return Table(
        id="feedback",
        caption="Feedback I asked for and gave",
        columns=["Feedback", "Count"],
        rows=rows,
        chart="bar",
        empty="No feedback yet. Ask two or three people for some on the Feedback page.",
    )


def my_give_and_get(person: Person, window: Window) -> Table:
    rows = [
        Row(
            f"{_kind(g.kind)} · {Direction(g.direction).label}",
            [
                Figure.own(g.giving),
                Figure.own(g.getting),
                Figure.own(g.held_giving),
                Figure.own(g.held_getting),
            ],
        )
        for g in counts.give_and_get(person, window)
    ]
    return Table(
        id="give-and-get",
        caption="Coaching and mentoring I give and get",
        columns=[
            "Kind and direction",
            "I give",
            "I get",
            "Sessions given last quarter",
            "Sessions had last quarter",
        ],
        rows=rows,
        chart="bar",
        help="Open engagements, and the sessions held in the last quarter, by kind and direction.",
        empty="You neither give nor get coaching or mentoring yet.",
    )


def my_tables(person: Person, window: Window) -> list[Table]:
    return [
        my_cadence(person, window),
        my_action_items(person, window),
        my_objectives(person),
        my_scores(person, window),
        my_feedback(person),
        my_give_and_get(person, window),
    ]


# ---------------------------------------------------------------- a manager's


def _under(manager: Person) -> Q:
    under = Person.objects.under(manager).values("pk")
    return Q(receiver_id__in=under) | Q(giver_id__in=under)


def my_engagements_with_reports(manager: Person, window: Window) -> Table:
    """The manager's own engagements (they are a party) with people under them."""
    figures = counts.engagement_figures(
        Engagement.objects.for_party(manager).filter(_under(manager)), window
    )
    ids = [f.pk for f in figures]
    follow = counts.follow_through_by_engagement(ids, window)
    status = counts.status_points_by_engagement(ids, window)
    rows = []
    for f in figures:
        other = f.receiver_id if f.giver_id == manager.pk else f.giver_id
        mine = follow.get((f.pk, manager.pk), FollowThrough())
        theirs = follow.get((f.pk, other), FollowThrough())
        points, flagged = status.get(f.pk, (0, 0))
        rows.append(
            Row(
                f.other_name(manager),
                [
                    Figure.text(_kind(f.kind)),
                    Figure.text(_cadence(f.cadence)),
                    Figure.own(f.held),
                    Figure.own(f.expected),
                    Figure.own(f.kept, kind="percent"),
                    _date(f.last_met),
                    Figure.own(f.missed),
                    Figure.own(f.overdue),
                    _of(mine.done, mine.due),
                    _of(theirs.done, theirs.due),
                    _share(flagged, points),
                ],
            )
        )
    return Table(
        id="engagements",
        caption="My one-on-ones and coaching with my reports, last quarter",
        columns=[
            "With",
            "Kind",
            "Cadence",
            "Held",
            "Expected",
            "Cadence kept",
            "Last met",
            "Missed",
            "Overdue",
            "My action items done",
            "Their action items done",
            "Agenda points that read as status",
        ],
        rows=rows,
        chart="bar",
        charted=[4],
        help=CADENCE_HELP.replace("your agreed", "the agreed")
        + " Missed: cancelled or skipped. Overdue: their time passed, neither held nor "
        "cancelled. Action items: those due in the quarter up to today.",
        empty="You have no agreed engagements with your reports yet.",
    )


@dataclass(frozen=True)
class Fairness:
    table: Table
    gini: Figure
    furthest: list[str]
    reports: int


def fairness(manager: Person, window: Window) -> Fairness:
    """The spread of the manager's one-on-ones over their direct reports in the last
    quarter: each report's share against an even share, and the Gini coefficient.
    For the manager alone: it names each report."""
    per = counts.one_on_ones_per_report(manager, window)
    n = len(per)
    total = sum(held for _, _, held in per)
    even = 1 / n if n else 0

    def gap(held: int) -> float:
        # How far from even, rounded so that two equal gaps compare equal.
        return round(abs((held / total if total else 0) - even), 9)

    ranked = sorted(per, key=lambda entry: (-gap(entry[2]), entry[1]))
    rows = [
        Row(
            name,
            [
                Figure.own(held),
                _share(held, total),
                Figure.own(even, kind="percent"),
                Figure.own((held / total - even) if total else None, kind="percent"),
            ],
        )
        for _, name, held in ranked
    ]
    gini = counts.gini([held for _, _, held in per])
    furthest: list[str] = []
    if total and n > 1:
        widest = gap(ranked[0][2])
        if widest > 0:
            furthest = [name for _, name, held in ranked if gap(held) == widest]
    table = Table(
        id="fairness",
        caption="My one-on-ones per direct report, last quarter",
        columns=["Report", "One-on-ones held", "Share", "Even share", "From even"],
        rows=rows if total else [],
        chart="bar",
        charted=[1, 2],
        help="Sessions only: Cairn does not record how long a session lasts. Furthest "
        "from an even share first.",
        empty="No one-on-ones held with your direct reports in the last quarter.",
    )
    return Fairness(
        table,
        Figure.own(gini, kind="decimal") if gini is not None else Figure.none(),
        furthest,
        n,
    )


def _percent(part: int, whole: int, group: int) -> Figure:
    if not whole:
        return Figure.of(None, group=group)
    return Figure.of(part / whole, group=group, kind="percent")


def line_managers_table(manager: Person, window: Window, page: int | None = None) -> Table:
    """Per line manager under the manager: group figures over that line manager's
    direct reports (suppressed under five, guarded against differencing by the total
    over all the indirect reports). ``page``: the rows of that page (``PER_PAGE``),
    the guard and the total over every line manager; ``None`` (the CSV): every row."""
    sizes = counts.line_manager_sizes(manager)
    group = sum(n for _, _, n in sizes)
    total, guarded = guard(
        Figure.of(None, group=group), [Figure.of(None, group=n) for _, _, n in sizes]
    )
    pages = None
    if page is not None:
        pages = Pages.of("lines", page, len(sizes))
        sizes, guarded = sizes[pages.start : pages.end], guarded[pages.start : pages.end]
    shown_ids = [pk for pk, _, _ in sizes]
    lines = {line.pk: line for line in counts.line_managers(manager, window, only=shown_ids)}
    all_one_on_ones = counts.line_managers_one_on_ones(manager)
    one_on_ones = counts.engagement_figures(all_one_on_ones.filter(giver_id__in=shown_ids), window)
    follow = counts.follow_through_by_engagement([f.pk for f in one_on_ones], window)
    by_giver: dict[int, list[EngagementFigures]] = {}
    for f in one_on_ones:
        by_giver.setdefault(f.giver_id, []).append(f)

    def figures(
        group: int,
        held: int,
        met: int,
        cadence: tuple[int, int, int],
        due_done: tuple[int, int],
    ) -> list[Figure]:
        expected, held_expected, missed = cadence
        due, done = due_done
        return [
            Figure.of(met, group=group),
            Figure.of(held, group=group),
            Figure.of(
                counts.kept_share(held_expected, expected) if expected else None,
                group=group,
                kind="percent",
            ),
            Figure.of(missed, group=group),
            _percent(done, due, group),
        ]

    def masked(cells: list[Figure], hidden: bool) -> list[Figure]:
        return [cell.suppress() if hidden else cell for cell in cells]

    rows = []
    for (pk, name, n), part in zip(sizes, guarded, strict=True):
        line = lines[pk]
        found = by_giver.get(pk, [])
        cells = figures(
            n,
            line.held,
            line.met,
            _cadence_sums(found),
            (
                sum(follow.get((f.pk, o), FollowThrough()).due for f in found for o in _parties(f)),
                sum(
                    follow.get((f.pk, o), FollowThrough()).done for f in found for o in _parties(f)
                ),
            ),
        )
        gini = Figure.of(line.gini, group=n, kind="decimal")
        rows.append(Row(name, [Figure.own(n), *masked([*cells, gini], part.suppressed)]))
    if sizes:
        held, met = counts.line_managers_total(manager, window)
        follow_total = counts.follow_through_total(all_one_on_ones, window)
        total_cells = figures(
            group,
            held,
            met,
            _cadence_of(counts.cadence_total(all_one_on_ones, window)),
            (follow_total.due, follow_total.done),
        )
        rows.append(
            Row(
                "All my indirect reports",
                [
                    Figure.own(group),
                    *masked([*total_cells, Figure.of(None, group=group)], total.suppressed),
                ],
            )
        )
    return Table(
        id="line-managers",
        caption="One-on-ones of the line managers under me, last quarter",
        columns=[
            "Line manager",
            "Reports",
            "Reports met",
            "One-on-ones held",
            "Cadence kept",
            "Missed",
            "Action items done",
            "Fairness (Gini)",
        ],
        rows=rows,
        chart="bar",
        charted=[2],
        help="Each line manager's one-on-ones with their direct reports, 25 line managers "
        "a page; the last row adds up all of them. A figure about "
        "fewer than 5 people is not shown, nor one that the others would give away. "
        "Fairness: the Gini coefficient of their one-on-ones over their reports, 0 "
        "when even, near 1 when one report has them all.",
        empty="No one under you manages anyone: your direct reports are above.",
        pages=pages,
    )


def _cadence_of(total: counts.CadenceTotal) -> tuple[int, int, int]:
    return total.expected, total.held, total.missed


def _cadence_sums(found: list[EngagementFigures]) -> tuple[int, int, int]:
    """(expected, held in engagements that expect any, missed) over ``found``."""
    return (
        sum(f.expected for f in found),
        sum(f.held for f in found if f.expected),
        sum(f.missed for f in found),
    )


def _parties(f: EngagementFigures) -> tuple[int, int]:
    return (f.giver_id, f.receiver_id)


def plan_coverage(manager: Person, page: int | None = None) -> Table:
    """How many of the people under the manager have a plan, an active objective, a
    current mission statement, per line manager: counts, never content. ``page``: the
    rows of that page, the guard and the total over all; ``None`` (the CSV): all."""
    everyone = counts.coverage_by_line_manager(manager)
    found = everyone

    def cells(people: int, plan: int, objective: int, mission: int) -> list[Figure]:
        return [
            Figure.of(plan, group=people),
            Figure.of(objective, group=people),
            Figure.of(mission, group=people),
        ]

    people = sum(c.people for c in everyone)
    total, guarded = guard(
        Figure.of(None, group=people), [Figure.of(None, group=c.people) for c in everyone]
    )
    pages = None
    if page is not None:
        pages = Pages.of("coverage", page, len(everyone))
        found, guarded = everyone[pages.start : pages.end], guarded[pages.start : pages.end]
    rows = [
        Row(
            "My direct reports" if c.manager_id == manager.pk else f"Reports of {c.manager_name}",
            [
                Figure.own(c.people),
                *(
                    cell.suppress() if part.suppressed else cell
                    for cell in cells(c.people, c.plan, c.objective, c.mission)
                ),
            ],
        )
        for c, part in zip(found, guarded, strict=True)
    ]
    rows.append(
        Row(
            "Everyone under me",
            [
                Figure.own(people),
                *(
                    cell.suppress() if total.suppressed else cell
                    for cell in cells(
                        people,
                        sum(c.plan for c in everyone),
                        sum(c.objective for c in everyone),
                        sum(c.mission for c in everyone),
                    )
                ),
            ],
        )
    )
    return Table(
        id="plan-coverage",
        caption="Plan coverage of the people under me",
        columns=[
            "People",
            "How many",
            "With a development plan",
            "With an active objective",
            "With a mission statement",
        ],
        rows=rows,
        chart="bar",
        charted=[1, 2, 3],
        help="Counts only: nobody's plan, objective or mission statement is read here, "
        "25 line managers a page; the last row adds up all of them. "
        "A count about fewer than 5 people is not shown, nor one that the others would "
        "give away.",
        pages=pages,
    )
