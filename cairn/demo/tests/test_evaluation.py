"""The demo's evaluation: an HR person with a cycle open for Marcus's team, some
goals, self-reviews and one assessment — and none of it on a coaching page."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from cairn.demo.builder import DEMO_PASSWORD, Result, build_demo
from cairn.evaluation.demo import SELF_REVIEWS
from cairn.evaluation.models import CycleStatus, Goal, PerformanceReview, ReviewCycle
from cairn.people.models import Person
from cairn.testing import client_for, html

NOW = dt.datetime(2025, 10, 27, 8, 45, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(scope="module")
def demo(module_db: None, django_db_blocker: DjangoDbBlocker) -> Result:
    with django_db_blocker.unblock():
        return build_demo(now=NOW)


@pytest.mark.django_db
def test_hr_runs_an_open_cycle_for_one_team(demo: Result) -> None:
    hr = Person.objects.get(user__username="helena")
    assert hr.is_hr
    assert Client().login(username="helena", password=DEMO_PASSWORD)
    cycle = ReviewCycle.objects.get(organisation=demo.organisation)
    assert cycle.status == CycleStatus.OPEN
    marcus = Person.objects.get(user__username="marcus")
    reviews = PerformanceReview.objects.filter(cycle=cycle)
    assert reviews.count() == demo.counts["performance_reviews"]
    # Marcus's team: he and his reports, each evaluated by their own manager.
    assert set(reviews.filter(manager=marcus).values_list("person", flat=True)) == set(
        marcus.reports.values_list("pk", flat=True)
    )
    assert Goal.objects.filter(review__cycle=cycle).count() == demo.counts["performance_goals"]
    assert reviews.exclude(assessed_at=None).count() == 1
    page = client_for(hr).get(reverse("evaluation:cycle", args=[cycle.code]))
    assert page.status_code == 200
    assert marcus.reports.order_by("name").first().name in html(page)  # type: ignore[union-attr]


@pytest.mark.django_db
def test_the_self_reviews_are_on_no_coaching_page(demo: Result) -> None:
    written = PerformanceReview.objects.exclude(self_review="").select_related("person")
    assert written.count() == len(SELF_REVIEWS)
    for review in written:
        client = client_for(review.person)
        for name in ("home", "growth:home", "growth:plan", "mastery:home", "export:data"):
            page = html(client.get(reverse(name)))
            assert review.self_review not in page, name
