"""The who-sees-what rows of mastery: the person reads their grants and assessments;
the coach who granted or assessed reads what they wrote; the people the person
shares their assessments with read all of those, and nothing of the grants; the
person's managers and org admins, by role alone, and everyone else, including HR, a
Django superuser and another organisation, get 404 and no trace. Walked one rung of
the cast at a time, asserting on the status and on the text in the answer."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.http import Http404
from django.urls import reverse

from cairn.coaching.tests.factories import make_engagement
from cairn.mastery import policy, services
from cairn.mastery.models import Assessment, AssessmentShare, Grant
from cairn.mastery.tests.factories import grant, import_example
from cairn.testing import Cast, client_for

# Distinctive texts, free of characters that autoescaping would change.
GRANT_EVIDENCE = "grant evidence: three stories published after review without edits"
COACH_EVIDENCE = "coach evidence: led the incident review calmly in March"
SELF_EVIDENCE = "self evidence: I still freeze when a plan changes late"
ALL_EVIDENCE = (GRANT_EVIDENCE, COACH_EVIDENCE, SELF_EVIDENCE)


@dataclass
class Record:
    cast: Cast
    grant: Grant
    coach_assessment: Assessment
    self_assessment: Assessment


@pytest.fixture
def record(cast: Cast) -> Record:
    """The report is a publisher, granted by the coach (who is a coach on the
    library ladder and coaches the report), with one assessment by each."""
    grant(cast.coach, "coach")
    make_engagement(cast.coach, cast.report)
    given = grant(cast.report, "publisher", by=cast.coach, evidence=GRANT_EVIDENCE)
    framework = import_example(cast.org)
    track = framework.tracks.get(position=0)
    delivery = framework.competencies.get(name="Delivery")
    craft = framework.competencies.get(name="Technical craft")
    senior = track.levels.get(name="Senior engineer")
    engineer = track.levels.get(name="Engineer")
    by_coach = services.record_assessment(
        cast.coach, cast.report, delivery, senior, evidence=COACH_EVIDENCE
    )
    by_self = services.record_assessment(
        cast.report, cast.report, craft, engineer, evidence=SELF_EVIDENCE
    )
    return Record(cast, given, by_coach, by_self)


def person_page(record: Record) -> str:
    return reverse("mastery:person", args=[record.cast.report.code])


def test_person_reads_everything_with_evidence(record: Record) -> None:
    client = client_for(record.cast.report)
    assert client.get(person_page(record)).status_code == 302
    html = client.get(reverse("mastery:home")).content.decode()
    for text in ALL_EVIDENCE:
        assert text in html
    assert "Publisher" in html


def test_coach_reads_what_they_wrote_and_nothing_else(record: Record) -> None:
    response = client_for(record.cast.coach).get(person_page(record))
    html = response.content.decode()
    assert response.status_code == 200
    assert GRANT_EVIDENCE in html
    assert COACH_EVIDENCE in html
    assert SELF_EVIDENCE not in html
    assert "Assessments you wrote about Riley" in html


@pytest.mark.parametrize(
    "role", ["manager", "director", "admin", "peer", "program_admin", "hr", "outsider"]
)
def test_everyone_else_gets_404_with_no_trace(record: Record, role: str) -> None:
    # Managers and org admins too: by role alone they see no level, no assessment,
    # not even that any exists — the same answer as for a person who does not exist.
    response = client_for(record.cast.everyone()[role]).get(person_page(record))
    assert response.status_code == 404
    html = response.content.decode()
    for text in (*ALL_EVIDENCE, "Publisher", "Senior engineer", record.cast.coach.name):
        assert text not in html


def test_a_superuser_gets_no_mastery_page(record: Record) -> None:
    from django.test import Client

    from cairn.people.models import User

    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    for url in (person_page(record), reverse("mastery:home")):
        response = client.get(url)
        assert response.status_code == 403, url  # signed in, but nobody here
        for text in (*ALL_EVIDENCE, "Publisher", "Senior engineer"):
            assert text not in response.content.decode()
    # A superuser who is also a person of the organisation sees what that person sees.
    User.objects.filter(pk=record.cast.admin.user_id).update(is_superuser=True, is_staff=True)
    assert client_for(record.cast.admin).get(person_page(record)).status_code == 404


@pytest.mark.parametrize("role", ["manager", "peer", "admin", "hr"])
def test_a_sharee_reads_every_assessment_side_by_side_and_no_grant(
    record: Record, role: str
) -> None:
    sharee = record.cast.everyone()[role]
    services.share_assessments(record.cast.report, sharee)
    response = client_for(sharee).get(person_page(record))
    assert response.status_code == 200
    html = response.content.decode()
    assert COACH_EVIDENCE in html
    assert SELF_EVIDENCE in html
    assert f"by {record.cast.coach.name}" in html  # who assessed
    assert "self-assessed" in html
    assert "Senior engineer" in html
    # Levels on a ladder are not part of the share.
    assert GRANT_EVIDENCE not in html
    assert "Publisher" not in html


def test_taking_a_share_back_closes_the_page_at_once(record: Record) -> None:
    share = services.share_assessments(record.cast.report, record.cast.manager)
    client = client_for(record.cast.manager)
    assert client.get(person_page(record)).status_code == 200
    services.unshare_assessments(record.cast.report, share)
    response = client.get(person_page(record))
    assert response.status_code == 404
    for text in ALL_EVIDENCE:
        assert text not in response.content.decode()


def test_a_share_lets_in_nobody_but_its_reader(record: Record) -> None:
    services.share_assessments(record.cast.report, record.cast.manager)
    for role in ("director", "admin", "peer", "program_admin", "hr", "outsider"):
        response = client_for(record.cast.everyone()[role]).get(person_page(record))
        assert response.status_code == 404, role
        for text in ALL_EVIDENCE:
            assert text not in response.content.decode(), role


@pytest.mark.parametrize(
    "role", ["manager", "director", "peer", "admin", "program_admin", "hr", "outsider"]
)
def test_nobody_elses_home_page_shows_the_evidence(record: Record, role: str) -> None:
    html = client_for(record.cast.everyone()[role]).get(reverse("mastery:home")).content.decode()
    for text in ALL_EVIDENCE:
        assert text not in html


def test_a_coach_who_stopped_coaching_still_reads_what_they_wrote(record: Record) -> None:
    engagement = record.cast.coach.giving.get(receiver=record.cast.report, kind="coaching")
    engagement.status = "closed"
    engagement.save()
    html = client_for(record.cast.coach).get(person_page(record)).content.decode()
    assert COACH_EVIDENCE in html


def test_querysets_follow_the_row(record: Record) -> None:
    cast = record.cast
    services.share_assessments(cast.report, cast.peer)
    both = {record.coach_assessment, record.self_assessment}
    for role, person in cast.everyone().items():
        grants = set(Grant.objects.visible_to(person).filter(person=cast.report))
        assessments = set(Assessment.objects.visible_to(person).filter(person=cast.report))
        shares = set(AssessmentShare.objects.visible_to(person).filter(owner=cast.report))
        if role == "report":
            assert (grants, assessments, len(shares)) == ({record.grant}, both, 1)
        elif role == "coach":
            assert (grants, assessments, shares) == (
                {record.grant},
                {record.coach_assessment},
                set(),
            )
        elif role == "peer":
            assert (grants, assessments, len(shares)) == (set(), both, 1)
        else:
            assert (grants, assessments, shares) == (set(), set(), set()), role


def test_page_access_walks_the_cast(record: Record) -> None:
    cast = record.cast
    services.share_assessments(cast.report, cast.peer)
    allowed = {"report", "coach", "peer"}
    for role, person in cast.everyone().items():
        try:
            policy.get_person_for(person, cast.report.code)
        except Http404:
            assert role not in allowed, role
        else:
            assert role in allowed, role


def test_str_never_shows_evidence(record: Record) -> None:
    share = services.share_assessments(record.cast.report, record.cast.peer)
    for obj in (record.grant, record.coach_assessment, share):
        assert "evidence" not in str(obj)


def test_outsider_cannot_open_another_organisations_ladder_or_framework(record: Record) -> None:
    from cairn.mastery.models import Ladder, Level

    ladder = Ladder.objects.create(organisation=record.cast.org, slug="on-call", name="On-call")
    Level.objects.create(ladder=ladder, slug="a", name="Secret rung", rank=0, criteria="x")
    framework = record.coach_assessment.competency.framework
    outsider = client_for(record.cast.outsider)
    for url in (
        reverse("mastery:ladder", args=["on-call"]),
        reverse("mastery:framework", args=[framework.code]),
    ):
        response = outsider.get(url)
        assert response.status_code == 404
        assert "Secret rung" not in response.content.decode()
    response = outsider.post(
        reverse(
            "mastery:framework-assess",
            args=[framework.code, record.coach_assessment.competency.key],
        ),
        {"person": record.cast.outsider.code, "evidence": "x"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("model", ["grant", "assessment"])
def test_django_admin_has_no_page_for_grants_or_assessments(record: Record, model: str) -> None:
    from django.test import Client

    from cairn.people.models import User

    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    assert client.get("/admin/mastery/ladder/").status_code == 200  # the control
    for url in (f"/admin/mastery/{model}/", f"/admin/mastery/{model}/add/"):
        response = client.get(url)
        assert response.status_code == 404, url
        for text in ALL_EVIDENCE:
            assert text not in response.content.decode()


def test_django_admin_delete_pages_list_no_evidence(record: Record) -> None:
    # Django's delete confirmation would list every row a delete takes with it (or
    # that protects the row) by ``str()``: grants and assessments show there not even
    # as their codes, only as the one line that sums up private rows.
    from django.test import Client

    from cairn.mastery.models import Framework, Ladder
    from cairn.people.models import User

    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    report = record.cast.report
    ladder = Ladder.objects.get(pk=record.grant.level.ladder_id)
    framework = Framework.objects.get(organisation=record.cast.org)
    pages = {
        f"/admin/people/person/{report.pk}/delete/": str(record.self_assessment.code),
        f"/admin/people/user/{report.user_id}/delete/": str(record.grant.code),
        f"/admin/mastery/ladder/{ladder.pk}/delete/": str(record.grant.code),
        f"/admin/mastery/framework/{framework.pk}/delete/": str(record.coach_assessment.code),
    }
    for url, listed in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert listed not in html, url
        assert "the admin neither lists nor counts" in html, url
        for text in ALL_EVIDENCE:
            assert text not in html, url


# --- the grant form: the one place a level shows to someone else ---------------------


def test_the_grant_form_tells_an_org_admin_the_level_and_nothing_more(record: Record) -> None:
    url = reverse("mastery:grant") + f"?person={record.cast.report.code}"
    html = client_for(record.cast.admin).get(url).content.decode()
    assert "Where Riley Report stands" in html
    assert "Story library: <strong>Publisher</strong>" in html
    for text in (*ALL_EVIDENCE, f"by {record.cast.coach.name}", "Granted by"):
        assert text not in html


def test_the_grant_form_says_nothing_of_someone_the_granter_may_not_grant(
    record: Record,
) -> None:
    grant(record.cast.peer, "publisher")
    url = reverse("mastery:grant") + f"?person={record.cast.peer.code}"
    html = client_for(record.cast.coach).get(url).content.decode()
    assert "stands" not in html
    assert "<strong>Publisher</strong>" not in html


@pytest.mark.parametrize("role", ["manager", "director", "peer", "program_admin", "hr"])
def test_nobody_without_the_privilege_to_grant_reaches_the_grant_form(
    record: Record, role: str
) -> None:
    url = reverse("mastery:grant") + f"?person={record.cast.report.code}"
    response = client_for(record.cast.everyone()[role]).get(url)
    assert response.status_code == 404
    assert "Publisher" not in response.content.decode()
