"""Reporting lines answered by the database: a manager's subtree and a person's chain
come from recursive queries over that subtree or chain alone, and agree with the
in-memory walk over the whole organisation (``ReportingLines``) on any tree."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.people.models import Person, ReportingLines, managers_of
from cairn.testing import count_queries, make_org, make_person

pytestmark = pytest.mark.django_db


def test_a_managers_subtree_holds_direct_and_indirect_reports_and_nobody_else() -> None:
    org = make_org()
    head = make_person(org, "Hana Head")
    lead = make_person(org, "Lee Lead", manager=head)
    dev = make_person(org, "Dev Deep", manager=lead)
    side = make_person(org, "Sid Side")  # no manager: outside every subtree
    other_org_report = make_person(make_org(), "Otto Other")

    assert set(Person.objects.under(head)) == {lead, dev}
    assert set(Person.objects.under(lead)) == {dev}
    assert not Person.objects.under(dev).exists()
    assert other_org_report not in Person.objects.under(head)
    assert side not in Person.objects.under(head)
    assert managers_of(dev.pk) == [lead.pk, head.pk]
    assert managers_of(head.pk) == []


def test_the_subtree_is_one_query_inside_the_query_that_uses_it() -> None:
    org = make_org()
    head = make_person(org)
    for _ in range(3):
        make_person(org, manager=make_person(org, manager=head))

    assert (
        count_queries(lambda: list(Person.objects.filter(pk__in=Person.objects.under(head)))) == 1
    )


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parents=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=12))
def test_the_database_agrees_with_the_walk_over_the_whole_organisation(parents: list[int]) -> None:
    org = make_org()
    people: list[Person] = []
    for index, parent in enumerate(parents):
        # Each person's manager is an earlier person (or nobody): any forest.
        manager = people[parent % index] if index and parent < 25 else None
        people.append(make_person(org, manager=manager))
    lines = ReportingLines.of(org.pk)
    for person in people:
        assert set(Person.objects.under(person).values_list("pk", flat=True)) == (
            lines.reports_under(person.pk)
        )
        assert managers_of(person.pk) == lines.chain(person.pk)
