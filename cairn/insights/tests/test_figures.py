"""The figures' suppression (fewer than five people), the guard against differencing,
the CSV of a table and the partial that shows a table with its chart and CSV link."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.test import RequestFactory

from cairn.insights.figures import (
    FEWER,
    MIN_GROUP,
    Figure,
    Row,
    Table,
    csv_or_none,
    csv_response,
    guard,
    guard_overlapping,
)


def test_a_group_of_four_is_suppressed_and_of_five_shown() -> None:
    assert MIN_GROUP == 5
    four = Figure.of(12, group=4)
    five = Figure.of(12, group=5)
    assert four.suppressed
    assert four.display == FEWER == "fewer than 5"
    assert four.number is None  # a gap in the chart
    assert not five.suppressed
    assert five.display == "12"
    assert five.number == 12


def test_a_persons_own_figure_is_never_suppressed() -> None:
    mine = Figure.own(1)
    assert not mine.suppressed
    assert mine.display == "1"


def test_how_figures_read() -> None:
    assert Figure.own(0.75, kind="percent").display == "75%"
    assert Figure.own(0.75, kind="percent").number == 75.0
    assert Figure.own(-1.5, kind="decimal").display == "-1.50"
    assert Figure.none().display == "–"
    assert Figure.none().number is None
    assert Figure.text("Ann").number is None


def test_guard_suppresses_parts_under_five() -> None:
    total, parts = guard(
        Figure.of(30, group=20),
        [
            Figure.of(10, group=5),
            Figure.of(10, group=5),
            Figure.of(10, group=5),
            Figure.of(0, group=5),
        ],
    )
    assert not total.suppressed
    assert [part.suppressed for part in parts] == [False, False, False, False]


def test_guard_one_small_part_takes_the_next_smallest_with_it() -> None:
    # Teams of 4, 6, 9 and 5 people: the team of 4 is suppressed, and with it the team
    # of 5 (the next-smallest), or total - the others would give the 4's figure.
    total, parts = guard(
        Figure.of(24, group=24),
        [
            Figure.of(4, group=4),
            Figure.of(6, group=6),
            Figure.of(9, group=9),
            Figure.of(5, group=5),
        ],
    )
    assert [part.suppressed for part in parts] == [True, False, False, True]
    assert not total.suppressed  # 24 - (6 + 9) = 9 people beyond the shown parts


def test_guard_two_small_parts_need_no_third() -> None:
    total, parts = guard(
        Figure.of(20, group=20),
        [Figure.of(3, group=3), Figure.of(2, group=2), Figure.of(15, group=15)],
    )
    assert [part.suppressed for part in parts] == [True, True, False]
    assert not total.suppressed  # 20 - 15 = 5 people together: a group of five


def test_guard_suppresses_a_total_that_would_reveal_a_small_remainder() -> None:
    # 12 people, parts of 5 and 5 shown: the 2 people in no part would be total - parts.
    total, parts = guard(Figure.of(12, group=12), [Figure.of(5, group=5), Figure.of(5, group=5)])
    assert total.suppressed
    assert [part.suppressed for part in parts] == [False, False]
    # With 15 people, five are beyond the parts: a group of five may show.
    total, _ = guard(Figure.of(15, group=15), [Figure.of(5, group=5), Figure.of(5, group=5)])
    assert not total.suppressed


def test_guard_a_lone_part_under_five_suppresses_itself_and_a_small_total() -> None:
    total, parts = guard(Figure.of(4, group=4), [Figure.of(4, group=4)])
    assert total.suppressed
    assert parts[0].suppressed


def test_differencing_two_figures_on_one_page_never_reveal_four_people() -> None:
    # A page shows a total of sessions over 9 people and one team of 5: the other 4
    # people's figure would be 17 - 10. The guard hides the total.
    total, (team,) = guard(Figure.of(17, group=9), [Figure.of(10, group=5)])
    shown = [figure for figure in (total, team) if not figure.suppressed]
    assert total.suppressed
    assert shown == [team]


def table() -> Table:
    return Table(
        id="sessions",
        caption="Sessions by month",
        columns=["Person", "Sessions", "Score"],
        rows=[
            Row('=HYPERLINK("x")', [Figure.of(7, group=5), Figure.own(-1.5, kind="decimal")]),
            Row("@Ann", [Figure.of(3, group=4), Figure.none()]),
        ],
        chart="bar",
    )


def test_overlapping_parts_withhold_the_total_when_any_part_with_people_is_hidden() -> None:
    # Directions: downward 7 sessions of 6 people, peer 2 sessions of 2 people, upward
    # and external nobody. Total 9 over a scope of 14. 9 - 7 = 2 would be the peers'.
    total, parts = guard_overlapping(
        Figure.of(9, group=14),
        [
            Figure.of(7, group=6),
            Figure.of(2, group=2),
            Figure.of(0, group=0),
            Figure.of(0, group=0),
        ],
    )
    assert [p.display for p in parts] == ["7", FEWER, FEWER, FEWER]
    assert total.display == FEWER


def test_overlapping_parts_with_only_empty_parts_hidden_keep_the_total() -> None:
    # Nothing to reveal: the hidden parts have 0 people and 0 sessions (9 - 9 = 0).
    total, parts = guard_overlapping(
        Figure.of(9, group=14), [Figure.of(9, group=MIN_GROUP), Figure.of(0, group=0)]
    )
    assert [p.display for p in parts] == ["9", FEWER]
    assert total.display == "9"
    # At four people the part hides, and with it the total.
    total, parts = guard_overlapping(
        Figure.of(9, group=14), [Figure.of(9, group=MIN_GROUP - 1), Figure.of(0, group=0)]
    )
    assert [p.display for p in parts] == [FEWER, FEWER]
    assert total.display == FEWER


def test_did_it_help_needs_five_answerers_and_five_givers() -> None:
    from cairn.insights.organisation import helped_rows

    def shown(people: int, givers: int) -> list[str]:
        rows = helped_rows(10, 7, people=people, givers=givers, group=20)
        return [row.cells[0].display for row in rows]

    assert shown(5, 5) == ["10", "70%"]
    assert shown(4, 5) == [FEWER, FEWER]  # four answerers
    assert shown(5, 4) == [FEWER, FEWER]  # the sessions of four givers
    assert shown(1, 1) == [FEWER, FEWER]  # one answer, one giver
    # No answers: nothing to pick out.
    assert [r.cells[0].display for r in helped_rows(0, 0, people=0, givers=0, group=20)] == [
        "0",
        "–",
    ]


def test_csv_is_the_table_as_shown_with_formulas_neutralised() -> None:
    response = csv_response(table())
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="sessions.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines == [
        ["Person", "Sessions", "Score"],
        ['\'=HYPERLINK("x")', "7", "-1.50"],  # a negative score stays a number
        ["'@Ann", FEWER, ""],
    ]


def test_csv_or_none_answers_the_named_table_or_422() -> None:
    factory = RequestFactory()
    assert csv_or_none(factory.get("/insights/"), [table()]) is None
    assert csv_or_none(factory.get("/insights/?csv=sessions"), [table()]).status_code == 200  # type: ignore[union-attr]
    unknown = csv_or_none(factory.get("/insights/?csv=salaries"), [table()])
    assert unknown is not None
    assert unknown.status_code == 422
    assert b"no table of that name" in unknown.content


def test_the_partial_shows_the_table_its_chart_data_and_csv_link() -> None:
    request = RequestFactory().get("/insights/team/", {"period": "quarter"})
    page = render_to_string("insights/_table.html", {"table": table()}, request=request)
    assert 'data-chart="bar"' in page
    assert "<caption" in page
    assert "Sessions by month" in page
    # Only the numbers are series; the suppressed cell is a gap with the marker text.
    assert '<th scope="col" data-series>Sessions</th>' in page
    assert 'data-value="7.0"' in page
    assert '<td data-value="" class="figure-fewer">fewer than 5</td>' in page
    assert "?period=quarter&amp;csv=sessions" in page


def test_the_partial_of_an_empty_table_says_what_to_do() -> None:
    empty = Table(id="x", caption="Sessions", columns=["Month", "Sessions"], empty="Meet first.")
    page = render_to_string(
        "insights/_table.html", {"table": empty}, request=RequestFactory().get("/")
    )
    assert "Meet first." in page
    assert "<table" not in page
    assert "csv" not in page.lower()
