"""The Django admin, as a superuser sees it: its delete pages name no private row,
not even as a code or a count, and opening a person's rows is recorded in that
person's access log. Project-wide, since the planted content spans every app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import get_deleted_objects
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.text import capfirst

from cairn.coaching import services as coaching
from cairn.coaching.models import Engagement, EngagementKind
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
)
from cairn.growth.tests.factories import SECRETS as GROWTH_SECRETS
from cairn.growth.tests.factories import build_growth
from cairn.library.models import StoryStatus
from cairn.library.tests.factories import make_story
from cairn.mastery import services as mastery
from cairn.mastery.builtin_ladders import LIBRARY_LADDER
from cairn.mastery.models import Competency, Framework, FrameworkLevel, Ladder
from cairn.mastery.tests.factories import grant, import_example
from cairn.mentoring.tests.factories import enrol_mentee, make_program, make_request
from cairn.people.admin_privacy import (
    PRIVATE_LINE,
    PROTECTED_LINE,
    HidesPrivateRowsOnDelete,
    _shown_models,
)
from cairn.people.models import Person, RoleChange, User
from cairn.testing import Cast, html, make_person
from cairn.trust.models import AccessRecord, Kind

PRIVATE_NOTE = "private-canary: I worry my manager sees me as replaceable"
SHARED_NOTE = "shared-canary: we agreed to try pairing on the incident review"
AGENDA = "agenda-canary: how the reorg lands on me"
ACTION = "action-canary: ask the director about the staff role"
COUNSELING_AGENDA = "counseling-canary: the conflict with my lead"
DEBRIEF = "debrief-canary: I learned to ask before I tell"
CHALLENGE = "challenge-canary: I freeze when I present to leadership"
GOALS = "goals-canary: speak at the all-hands"
GENDER = "gender-canary"
EVIDENCE = "evidence-canary: led the schema migration review"
GRANT_EVIDENCE = "grant-canary: wrote three stories that helped"
STORY = "story-canary: the outage nobody owned"

SECRETS = [
    PRIVATE_NOTE,
    SHARED_NOTE,
    AGENDA,
    ACTION,
    COUNSELING_AGENDA,
    DEBRIEF,
    CHALLENGE,
    GOALS,
    GENDER,
    EVIDENCE,
    GRANT_EVIDENCE,
    STORY,
    *GROWTH_SECRETS,
]


@dataclass
class Planted:
    cast: Cast
    coaching: Engagement
    counseling: Engagement
    framework: Framework


@pytest.fixture
def planted(cast: Cast) -> Planted:
    """Private content of the report's in every app that has some."""
    report = cast.report
    session = make_session(one_on_one(cast.manager, report))
    make_note(session, report, PRIVATE_NOTE, private=True)
    make_note(session, cast.manager, SHARED_NOTE)
    make_agenda_item(session, report, AGENDA)
    make_action_item(session, report, ACTION)
    counseling = make_engagement(cast.coach, report, EngagementKind.COUNSELING)
    make_agenda_item(make_session(counseling), report, COUNSELING_AGENDA)
    engagement = make_engagement(cast.director, report, EngagementKind.COACHING)
    coaching.close_engagement(report, engagement)
    coaching.write_debrief(report, engagement, learnings=DEBRIEF, felt="transformational")
    make_request(report, cast.coach, challenge=CHALLENGE)
    enrol_mentee(make_program(cast.program_admin), report, goals=GOALS, gender=GENDER)
    framework = import_example(cast.org)
    competency = Competency.objects.filter(framework=framework).first()
    assert competency is not None
    level = FrameworkLevel.objects.filter(track__framework=framework).first()
    assert level is not None
    mastery.record_assessment(report, report, competency, level, evidence=EVIDENCE)
    grant(report, "contributor", evidence=GRANT_EVIDENCE)
    make_story(report, STORY, status=StoryStatus.DRAFT)
    build_growth(cast)
    return Planted(cast, engagement, counseling, framework)


def superuser_client(username: str = "root") -> Client:
    user = User.objects.create_superuser(username, f"{username}@example.org", "a-test-pw-42")
    client = Client()
    client.force_login(user)
    return client


def private_labels() -> list[str]:
    """How Django's delete page names a row or a count of each model the admin does not
    show: "Note: …", "Notes: 3"."""
    shown = _shown_models(admin.site)
    labels = []
    for model in apps.get_models():
        if model.__module__.startswith("cairn.") and model not in shown:
            for name in (model._meta.verbose_name, model._meta.verbose_name_plural):
                labels.append(f"{capfirst(name)}:")
    return labels


def assert_names_no_private_row(page: str) -> None:
    for secret in SECRETS:
        assert secret not in page, secret
    for label in private_labels():
        assert label not in page, label


# --- delete pages ------------------------------------------------------------------


def delete_pages(planted: Planted) -> list[str]:
    cast = planted.cast
    library_ladder = Ladder.objects.get(slug=LIBRARY_LADDER, organisation__isnull=True)
    return [
        f"/admin/people/person/{cast.report.pk}/delete/",
        f"/admin/people/person/{cast.coach.pk}/delete/",
        f"/admin/people/user/{cast.report.user_id}/delete/",
        f"/admin/people/organisation/{cast.org.pk}/delete/",
        f"/admin/coaching/engagement/{planted.coaching.pk}/delete/",
        f"/admin/mastery/framework/{planted.framework.pk}/delete/",
        # Rows that protect the ladder from deletion are listed instead; no private ones.
        f"/admin/mastery/ladder/{library_ladder.pk}/delete/",
    ]


def test_the_control_django_alone_would_list_the_private_rows(planted: Planted) -> None:
    # Without the override, the cascade of deleting the report names their notes,
    # debriefs, requests, answers and assessments, and counts them.
    request = RequestFactory().get("/")
    request.user = User.objects.create_superuser("ctl", "ctl@example.org", "a-test-pw-42")
    listed, counts, _, _ = get_deleted_objects([planted.cast.report], request, admin.site)
    assert {"notes", "debriefs", "mentoring requests", "assessments"} <= set(map(str, counts))
    assert any(label in str(listed) for label in private_labels())


def test_delete_pages_name_no_private_row_nor_count_one(planted: Planted) -> None:
    client = superuser_client()
    for url in delete_pages(planted):
        response = client.get(url)
        assert response.status_code == 200, url
        page = html(response)
        if "Are you sure" in page:
            assert PRIVATE_LINE in page, url
        else:
            assert "would require deleting the following protected" in page, url
            assert PROTECTED_LINE in page, url
        assert_names_no_private_row(page)


def test_delete_pages_still_name_what_the_admin_shows(planted: Planted) -> None:
    cast = planted.cast
    page = html(superuser_client().get(f"/admin/people/organisation/{cast.org.pk}/delete/"))
    assert "Person: <a href=" in page
    assert cast.report.name in page
    assert "Team: <a href=" in page
    # Engagements other than counseling are the admin's to list; counseling is not.
    assert f"/admin/coaching/engagement/{planted.coaching.pk}/change/" in page
    assert f"/admin/coaching/engagement/{planted.counseling.pk}/change/" not in page
    assert str(planted.counseling.code) not in page


def test_delete_selected_names_no_private_row(planted: Planted) -> None:
    cast = planted.cast
    response = superuser_client().post(
        "/admin/people/person/",
        {"action": "delete_selected", "_selected_action": [cast.report.pk, cast.coach.pk]},
    )
    assert response.status_code == 200
    page = html(response)
    assert "Are you sure" in page
    assert_names_no_private_row(page)
    assert PRIVATE_LINE in page


def test_deleting_still_deletes_everything(planted: Planted) -> None:
    cast = planted.cast
    response = superuser_client().post(
        f"/admin/people/person/{cast.report.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=cast.report.pk).exists()


def test_every_admin_of_cairn_hides_private_rows_on_delete() -> None:
    for model, model_admin in admin.site._registry.items():
        if model.__module__.startswith("cairn.") or model is User:
            assert isinstance(model_admin, HidesPrivateRowsOnDelete), model


# --- reads recorded ----------------------------------------------------------------


def records() -> list[tuple[int, str, int | None, str]]:
    return [
        (row.owner_id, row.kind, row.reader_id, row.reader_name)
        for row in AccessRecord.objects.order_by("id")
    ]


def test_opening_a_person_is_recorded_in_their_access_log(cast: Cast) -> None:
    client = superuser_client()
    url = f"/admin/people/person/{cast.report.pk}/change/"
    with_time = timezone.now() - dt.timedelta(seconds=1)
    for _ in range(2):
        assert client.get(url).status_code == 200
    rows = AccessRecord.objects.filter(owner=cast.report)
    assert [(r.kind, r.reader_id, r.reader_name, r.via) for r in rows] == [
        (Kind.ADMIN_ROWS, None, "Django superuser root", url)
    ] * 2
    assert all(row.at >= with_time for row in rows)
    assert records() == [(cast.report.pk, "admin_rows", None, "Django superuser root")] * 2


def test_opening_an_account_is_recorded_for_its_person(cast: Cast) -> None:
    superuser_client().get(f"/admin/people/user/{cast.report.user_id}/change/")
    assert records() == [(cast.report.pk, "admin_rows", None, "Django superuser root")]


def test_opening_an_engagement_is_recorded_for_both_parties(planted: Planted) -> None:
    cast = planted.cast
    AccessRecord.objects.all().delete()
    response = superuser_client().get(f"/admin/coaching/engagement/{planted.coaching.pk}/change/")
    assert response.status_code == 200
    assert sorted(records()) == sorted(
        [
            (cast.director.pk, "admin_rows", None, "Django superuser root"),
            (cast.report.pk, "admin_rows", None, "Django superuser root"),
        ]
    )


def test_a_counseling_engagement_is_not_opened_so_nothing_is_recorded(planted: Planted) -> None:
    AccessRecord.objects.all().delete()
    response = superuser_client().get(f"/admin/coaching/engagement/{planted.counseling.pk}/change/")
    assert response.status_code == 302
    assert records() == []


def test_lists_and_a_superusers_own_row_are_not_recorded(cast: Cast) -> None:
    client = superuser_client()
    client.get("/admin/people/person/")
    me = make_person(cast.org, "Sam Superuser")
    User.objects.filter(pk=me.user_id).update(is_superuser=True, is_staff=True)
    own = Client()
    own.force_login(me.user)
    assert own.get(f"/admin/people/person/{me.pk}/change/").status_code == 200
    assert records() == []


def test_the_record_carries_no_content(planted: Planted) -> None:
    superuser_client().get(f"/admin/people/person/{planted.cast.report.pk}/change/")
    row = AccessRecord.objects.get()
    text = " ".join([row.reader_name, row.via, row.kind, str(row)])
    for secret in SECRETS:
        assert secret not in text


def test_a_superuser_sets_roles_directly_and_is_recorded(cast: Cast) -> None:
    client = superuser_client()
    url = f"/admin/people/person/{cast.coach.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "name": cast.coach.name,
            "title": cast.coach.title,
            "team": "",
            "manager": "",
            "is_program_admin": "on",
        }
    )
    data.pop("is_org_admin", None)
    data.pop("is_hr", None)
    response = client.post(url, data)
    assert response.status_code == 302, html(response)
    cast.coach.refresh_from_db()
    assert cast.coach.is_program_admin
    change = RoleChange.objects.filter(person=cast.coach).latest("at")
    assert (change.role, change.action, change.actor, change.actor_name) == (
        "is_program_admin",
        "granted",
        None,
        "Django superuser root",
    )
