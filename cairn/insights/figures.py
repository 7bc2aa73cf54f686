"""Figures and tables of the insights pages: counts, never content, and no group of
fewer than five people shown.

How to use them
===============

==============================  ==========================================================
``MIN_GROUP`` (5)               The fewest people a group figure may describe.
``FEWER``                       "fewer than 5": what a suppressed figure says, on the page
                                and in the CSV cell.
``Figure.of(value, group=n)``   A figure about a group of ``n`` distinct people (a team's
                                members, a manager's reports, a program's participants —
                                people, not events). Under ``MIN_GROUP`` it is suppressed.
``Figure.own(value)``           A person's own figure, shown to themselves alone: never
                                suppressed.
``kind=``                       How the value reads: ``"count"`` (default), ``"percent"``
                                (a share 0..1, shown as 75%), ``"decimal"`` (two places),
                                ``"date"``, ``"text"`` (a label such as a name).
``Figure.text(label)``          A word in a cell (a cadence, "2 of 3"): not charted;
                                in the CSV kept from running as a formula.
``Figure.none()``               No figure (nothing to count): a dash, an empty CSV cell.
``guard(total, parts)``         A total and its breakdown (per team, per line manager, per
                                direction, per program) on one page: the parts under five
                                are suppressed; if exactly one is, the next-smallest is
                                too (complementary suppression); and if the people of the
                                total not in a shown part are fewer than five, the total
                                is suppressed. Returns ``(total, parts)``; use it for every
                                breakdown so no small group shows as total - the others.
                                Only for parts that partition the total's people (each
                                person in one part: teams, line managers).
``guard_overlapping(total,``    A breakdown whose parts do NOT partition the total's
``parts)``                      people (directions: a person may be in several, and people
                                who met nobody are in none): each part under five is
                                suppressed, and the total is withheld whenever any part is
                                hidden, since its people cannot be counted apart from the
                                shown parts' (summing the parts' people over-counts). A
                                part of 0 people and value 0 is not hidden (nothing to
                                reveal). A withheld total says ``FEWER`` too (one marker):
                                pages using this say so in their help text.
``Table(id, caption, columns,`` One table of a page: ``rows`` are ``Row(label, cells)``
``rows, chart=…)``              (each cell a ``Figure``). ``id`` names it in
                                ``?csv=<id>``; ``chart`` is ``"bar"``, ``"line"`` or ``""``
                                (no chart); ``charted`` the cell positions drawn (default:
                                every column of numbers); ``empty`` says what to do when
                                there are no rows; ``help`` says how its figures are
                                counted.
``Pages.of(param, number,``   A long table (one row per line manager, per team) shows
``rows)``                       ``PER_PAGE`` (25) rows a page, chosen by its own query
                                parameter (``?lines=2``); past the last page: the last.
                                ``page_number(request, param)`` reads it (``None`` for a
                                CSV, which holds every row; ``BadPage`` for a word). The
                                guard runs over every row, the page shows a slice.
``csv_response(table)``         The table as a CSV download, exactly as shown: suppressed
                                cells say ``FEWER``; text cells are kept from running as a
                                formula (a leading ``= + - @`` gets a ``'``).
``csv_or_none(request, tables)`` In a view: the CSV answer when ``?csv=<id>`` asks for one
                                of ``tables`` (422 for an unknown id), ``None`` otherwise.
==============================  ==========================================================

A template shows a table with its chart and CSV link with
``{% include "insights/_table.html" with table=table %}``; ``cairn/static/cairn/charts.js``
draws each ``<table data-chart>`` from the table's own cells (``data-value``), so the
accessible table is the only source of the chart, and suppressed cells are gaps.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse

from cairn.lib.csv_cells import formula_safe

MIN_GROUP = 5
FEWER = "fewer than 5"
NONE = "–"

Kind = Literal["count", "percent", "decimal", "date", "text"]
Value = int | float | Decimal | dt.date | str | None


@dataclass(frozen=True)
class Figure:
    """One figure: its value, the number of people it describes (``None`` for a
    person's own figure or a label), how it reads, and whether it is suppressed."""

    value: Value
    group: int | None = None
    kind: Kind = "count"
    suppressed: bool = False

    @classmethod
    def of(cls, value: Value, *, group: int, kind: Kind = "count") -> Figure:
        """A figure about ``group`` distinct people: suppressed under ``MIN_GROUP``."""
        return cls(value, group, kind, suppressed=group < MIN_GROUP)

    @classmethod
    def own(cls, value: Value, *, kind: Kind = "count") -> Figure:
        """A person's own figure, shown to that person alone: never suppressed."""
        return cls(value, None, kind)

    @classmethod
    def text(cls, value: str) -> Figure:
        return cls(value, None, "text")

    @classmethod
    def none(cls) -> Figure:
        return cls(None)

    def suppress(self) -> Figure:
        return replace(self, suppressed=True)

    @property
    def number(self) -> float | None:
        """The value a chart plots: ``None`` (a gap) when suppressed or not a number."""
        if self.suppressed or self.value is None or self.kind in ("text", "date"):
            return None
        number = _float(self.value)
        return round(number * 100, 1) if self.kind == "percent" else round(number, 2)

    @property
    def display(self) -> str:
        """The figure as the page and the CSV say it."""
        if self.suppressed:
            return FEWER
        value = self.value
        if value is None:
            return NONE
        if self.kind == "percent":
            return f"{round(_float(value) * 100):d}%"
        if self.kind == "decimal":
            return f"{_float(value):.2f}"
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    def __str__(self) -> str:
        return self.display


def _float(value: Value) -> float:
    if not isinstance(value, int | float | Decimal):
        raise TypeError(f"not a number: {type(value).__name__}")
    return float(value)


def guard(total: Figure, parts: Sequence[Figure]) -> tuple[Figure, list[Figure]]:
    """A total and its breakdown, guarded against differencing (see the table above).

    Group sizes are what is compared: a part is suppressed under ``MIN_GROUP``; a lone
    suppressed part takes the next-smallest shown part with it; the total is
    suppressed when the people it describes beyond the shown parts are 1 to 4 (so
    total - shown parts never gives a small group's figure)."""
    guarded = [
        part.suppress() if part.group is not None and part.group < MIN_GROUP else part
        for part in parts
    ]
    hidden = [i for i, part in enumerate(guarded) if part.suppressed]
    if len(hidden) == 1:
        shown = [i for i, part in enumerate(guarded) if not part.suppressed]
        if shown:
            smallest = min(shown, key=lambda i: guarded[i].group or 0)
            guarded[smallest] = guarded[smallest].suppress()
    size = total.group
    if size is not None:
        if size < MIN_GROUP:
            total = total.suppress()
        else:
            beyond = size - sum(p.group or 0 for p in guarded if not p.suppressed)
            if 0 < beyond < MIN_GROUP:
                total = total.suppress()
    return total, guarded


def guard_overlapping(total: Figure, parts: Sequence[Figure]) -> tuple[Figure, list[Figure]]:
    """A total and a breakdown whose parts overlap or leave people out (see the table
    above): parts under ``MIN_GROUP`` are suppressed, and the total is withheld when
    any part with something in it is, so total - shown parts never gives a hidden
    part's figure."""
    guarded = [
        part.suppress() if part.group is not None and part.group < MIN_GROUP else part
        for part in parts
    ]
    hidden = [
        part
        for part in guarded
        if part.suppressed and not (part.group == 0 and part.value in (0, None))
    ]
    if hidden or (total.group is not None and total.group < MIN_GROUP):
        total = total.suppress()
    return total, guarded


@dataclass(frozen=True)
class Row:
    label: str
    cells: Sequence[Figure]


PER_PAGE = 25
# More pages than any table has: 2,500,000 rows.
LAST_PAGE = 100_000


class BadPage(ValueError):
    """A page parameter that is not a page number (the view answers 422)."""


@dataclass(frozen=True)
class Pages:
    """Where a long table's page stands: its query parameter, this page's number and
    the number of pages."""

    param: str
    number: int
    count: int
    per_page: int = PER_PAGE

    @classmethod
    def of(cls, param: str, number: int, rows: int, per_page: int = PER_PAGE) -> Pages:
        count = max((rows + per_page - 1) // per_page, 1)
        return cls(param, min(max(number, 1), count), count, per_page)

    @property
    def start(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def end(self) -> int:
        return self.number * self.per_page

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None


def page_number(request: HttpRequest, param: str) -> int | None:
    """The page of the table ``param`` names (1 when not given), or ``None`` when a
    CSV is asked for (every row). ``BadPage`` for anything but a whole number."""
    if request.GET.get("csv") is not None:
        return None
    given = request.GET.get(param, "1")
    try:
        number = int(given)
    except ValueError:
        raise BadPage(param) from None
    if number < 1:
        raise BadPage(param)
    # Past the last page is the last page (``Pages.of``); a number past any table's
    # last page is held to one, so a page's key in the cache stays short.
    return min(number, LAST_PAGE)


@dataclass(frozen=True)
class Table:
    """One table of an insights page, as the page shows it and its CSV writes it."""

    id: str
    caption: str
    columns: Sequence[str]  # the header: the first names the rows' labels
    rows: Sequence[Row] = field(default_factory=list)
    chart: Literal["bar", "line", ""] = ""
    help: str = ""
    empty: str = "Nothing to count yet."
    # The cells (by position, 0 = the first after the label) the chart draws as
    # series; ``None``: every column of numbers.
    charted: Sequence[int] | None = None
    # A long table's page (``None``: every row is here).
    pages: Pages | None = None

    @property
    def header(self) -> list[tuple[str, bool]]:
        """The header cells, each with whether the chart draws it as a series."""
        cells: list[tuple[str, bool]] = [(self.columns[0], False)] if self.columns else []
        for i, column in enumerate(self.columns[1:]):
            if self.charted is not None:
                series = i in self.charted
            else:
                series = any(
                    i < len(row.cells) and row.cells[i].kind not in ("text", "date")
                    for row in self.rows
                )
            cells.append((column, bool(self.chart) and series))
        return cells

    @property
    def filename(self) -> str:
        return f"{self.id}.csv"

    def lines(self) -> Iterable[list[str]]:
        """The CSV's lines: the header, then each row, exactly as shown."""
        yield [formula_safe(column) for column in self.columns]
        for row in self.rows:
            yield [formula_safe(row.label), *(_csv_value(cell) for cell in row.cells)]


def _csv_value(figure: Figure) -> str:
    if figure.suppressed:
        return FEWER
    if figure.value is None:
        return ""
    if figure.kind == "text":
        return formula_safe(figure.display)
    # Numbers and dates are ours, not typed by anyone: a negative score stays a number.
    return figure.display


def csv_response(table: Table) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.filename}"'
    writer = csv.writer(response)
    for line in table.lines():
        writer.writerow(line)
    return response


def csv_or_none(request: HttpRequest, tables: Iterable[Table]) -> HttpResponse | None:
    """The CSV of the table ``?csv=<id>`` names, a 422 when no table of the page has
    that id, and ``None`` when no CSV is asked for (the view renders its page)."""
    wanted = request.GET.get("csv")
    if wanted is None:
        return None
    for table in tables:
        if table.id == wanted:
            return csv_response(table)
    return HttpResponse(
        "There is no table of that name on this page to download.",
        status=422,
        content_type="text/plain; charset=utf-8",
    )
