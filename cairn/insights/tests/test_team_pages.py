"""/insights/team/ at the size of a real organisation: the per-line-manager tables
show 25 rows a page (``?lines=`` / ``?coverage=``), their totals over every line
manager, the CSV every row; past the last page: the last; a word: 422."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from cairn.testing import client_for, make_org, make_person
from cairn.testing.bulk import bulk_people, refresh_statistics

TEAM = reverse("insights:team")


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def _lines(page: str) -> str:
    """The line managers' table of a page."""
    start = page.index('id="line-managers"')
    return page[start : page.index("</section>", start)]


def test_line_managers_are_paged_and_the_total_counts_them_all(db: None) -> None:
    org = make_org("Paged Org")
    head = make_person(org, "Hal Head")
    # 30 line managers (named in order) with 5 reports each: 30 + 150 people under Hal.
    leads = [make_person(org, f"Lead {i:02d}", manager=head) for i in range(30)]
    bulk_people(org, 150, managers=leads, prefix="Member")
    refresh_statistics()
    client = client_for(head)

    first = _lines(client.get(TEAM).content.decode())
    assert "Lead 00" in first
    assert "Lead 24" in first
    assert "Lead 25" not in first
    assert "Page 1 of 2" in first
    assert "All my indirect reports" in first  # the total, on every page
    second = _lines(client.get(TEAM, {"lines": "2"}).content.decode())
    assert "Lead 25" in second
    assert "Lead 29" in second
    assert "Lead 24" not in second
    # Past the last page: the last.
    assert "Lead 29" in _lines(client.get(TEAM, {"lines": "9"}).content.decode())
    # The CSV holds every line manager, and the same total: 5 x 30 = 150 reports.
    rows = _rows(client.get(TEAM, {"csv": "line-managers", "lines": "2"}).content)
    assert [row[0] for row in rows[1:-1]] == [f"Lead {i:02d}" for i in range(30)]
    assert rows[-1][:2] == ["All my indirect reports", "150"]
    coverage = _rows(client.get(TEAM, {"csv": "plan-coverage"}).content)
    # Hal's direct reports (the 30 leads), then each lead's 5, then the total.
    assert len(coverage) == 1 + 1 + 30 + 1
    assert coverage[-1][:2] == ["Everyone under me", "180"]


def test_a_page_that_is_not_a_number_is_422(db: None) -> None:
    org = make_org("Paged Org")
    head = make_person(org, "Hal Head")
    make_person(org, "Lead", manager=head)
    for param in ("lines", "coverage"):
        response = client_for(head).get(TEAM, {param: "two"})
        assert response.status_code == 422
        assert "There is no page like that" in response.content.decode()
        assert client_for(head).get(TEAM, {param: "0"}).status_code == 422
