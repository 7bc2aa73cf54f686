"""The who-sees-what row for mission statements and development plans, walked one
rung of the cast at a time: the owner (the report) shares with their coach and not
with their manager. Every test asserts the status *and* what the answer contains.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement, make_session
from cairn.growth import services
from cairn.growth.models import (
    CheckIn,
    DevelopmentPlan,
    MissionStatement,
    Objective,
    PlanAction,
    PlanShare,
)
from cairn.growth.policy import objectives_for_session
from cairn.growth.tests.factories import (
    ACTION,
    ANSWER,
    BECOME,
    CHECK_IN,
    DREAMS,
    MISSION,
    MISSION_OLD,
    SECRETS,
    WHAT,
    WHY,
    Growth,
    scale_data,
)
from cairn.people.models import Person, User
from cairn.testing import Cast, client_for, html, htmx, make_person

# Everyone who must not read the report's growth: their manager and the manager's
# manager, a teammate, the org admin, the program admin, and the org admin of
# another organisation.
NOT_SHARED = ["director", "manager", "peer", "admin", "program_admin", "hr", "outsider"]


def assert_nothing_of(page: str) -> None:
    for text in SECRETS:
        assert text not in page, text


def person(cast: Cast, role: str) -> Person:
    return cast.everyone()[role]


def read_urls(growth: Growth) -> list[str]:
    return [
        reverse("growth:shared-plan", args=[growth.owner.code]),
        reverse("growth:objective", args=[growth.objective.code]),
    ]


def write_posts(growth: Growth) -> list[tuple[str, dict[str, str]]]:
    """Every POST that changes the owner's growth, with valid data."""
    objective = growth.objective
    return [
        (
            reverse("growth:action-add", args=[objective.code]),
            {
                "owner": str(growth.owner.code),
                "description": "forged action",
                "due_on": "2030-01-01",
            },
        ),
        (
            reverse("growth:check-in-add", args=[objective.code]),
            {"note": "forged check-in", "position": "1"},
        ),
        (reverse("growth:objective-session", args=[objective.code]), {"session": ""}),
        (
            reverse("growth:objective-edit", args=[objective.code]),
            {"what": "forged objective", "status": "dropped"},
        ),
        (reverse("growth:action-mark", args=[growth.action.code]), {"done": "1"}),
        (reverse("growth:share-remove", args=[growth.share.code]), {}),
    ]


def snapshot() -> tuple[object, ...]:
    objective = Objective.objects.get()
    return (
        MissionStatement.objects.count(),
        PlanShare.objects.count(),
        PlanAction.objects.filter(done_at__isnull=True).count(),
        PlanAction.objects.count(),
        CheckIn.objects.count(),
        objective.what,
        objective.status,
        objective.session_id,
    )


# --- the owner -----------------------------------------------------------------------


def test_owner_reads_everything_on_their_own_pages(growth: Growth) -> None:
    client = client_for(growth.owner)
    pages = {
        reverse("growth:home"): [MISSION, DREAMS, BECOME, WHAT],
        reverse("growth:mission-history"): [MISSION, MISSION_OLD, ANSWER],
        reverse("growth:plan"): [DREAMS, BECOME, WHAT, growth.cast.coach.name],
        reverse("growth:objective", args=[growth.objective.code]): [WHAT, WHY, ACTION, CHECK_IN],
    }
    for url, texts in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        for text in texts:
            assert text in html(response), (url, text)


# --- the person the plan is shared with: read-only ----------------------------------


def test_shared_reader_reads_current_mission_and_whole_plan(growth: Growth) -> None:
    response = client_for(growth.cast.coach).get(read_urls(growth)[0])
    page = html(response)
    assert response.status_code == 200
    for text in (MISSION, DREAMS, BECOME, WHAT, WHY, ACTION, CHECK_IN):
        assert text in page, text
    # Earlier versions and the guided answers are the owner's drafts of themselves.
    assert MISSION_OLD not in page
    assert ANSWER not in page


def test_shared_reader_sees_objective_read_only(growth: Growth) -> None:
    response = client_for(growth.cast.coach).get(read_urls(growth)[1])
    page = html(response)
    assert response.status_code == 200
    assert WHAT in page
    assert ACTION in page
    assert CHECK_IN in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<form" not in main  # no form in the content at all
    assert reverse("growth:action-add", args=[growth.objective.code]) not in page


def test_shared_reader_lists_the_owner_under_shared_with_me(growth: Growth) -> None:
    response = client_for(growth.cast.coach).get(reverse("growth:shared"))
    assert response.status_code == 200
    assert reverse("growth:shared-plan", args=[growth.owner.code]) in html(response)
    assert_nothing_of(html(response))


@pytest.mark.parametrize("role", [*NOT_SHARED, "coach"])
def test_nobody_but_the_owner_writes_and_nothing_is_saved(growth: Growth, role: str) -> None:
    before = snapshot()
    for client in (
        client_for(person(growth.cast, role)),
        htmx(client_for(person(growth.cast, role))),
    ):
        for url, data in write_posts(growth):
            response = client.post(url, data)
            assert response.status_code == 404, (role, url)
            assert_nothing_of(html(response))
    assert snapshot() == before


# --- everyone else: 404, the same as missing ----------------------------------------


@pytest.mark.parametrize("role", NOT_SHARED)
def test_not_shared_gets_404_for_plan_and_objective(growth: Growth, role: str) -> None:
    for client in (
        client_for(person(growth.cast, role)),
        htmx(client_for(person(growth.cast, role))),
    ):
        for url in read_urls(growth):
            response = client.get(url)
            assert response.status_code == 404, (role, url)
            assert_nothing_of(html(response))


@pytest.mark.parametrize("role", [*NOT_SHARED, "coach"])
def test_own_pages_of_others_show_nothing_of_the_owner(growth: Growth, role: str) -> None:
    client = client_for(person(growth.cast, role))
    for name in ("home", "mission", "mission-guided", "mission-history", "plan", "shared"):
        response = client.get(reverse(f"growth:{name}"))
        assert response.status_code == 200, name
        assert_nothing_of(html(response))


def test_unknown_codes_answer_404_like_forbidden_ones(growth: Growth) -> None:
    client = client_for(growth.cast.coach)
    missing = "00000000-0000-4000-8000-000000000000"
    for name in ("shared-plan", "objective"):
        assert client.get(reverse(f"growth:{name}", args=[missing])).status_code == 404


def test_someone_who_has_not_shared_is_404_even_to_their_manager(cast: Cast) -> None:
    # No plan at all, nothing shared: the answer is the same 404 as a forbidden one.
    response = client_for(cast.manager).get(reverse("growth:shared-plan", args=[cast.report.code]))
    assert response.status_code == 404


def test_removing_a_share_revokes_access_at_once(growth: Growth) -> None:
    coach = client_for(growth.cast.coach)
    assert coach.get(read_urls(growth)[0]).status_code == 200
    response = client_for(growth.owner).post(
        reverse("growth:share-remove", args=[growth.share.code])
    )
    assert response.status_code == 302
    for url in read_urls(growth):
        response = coach.get(url)
        assert response.status_code == 404, url
        assert_nothing_of(html(response))
    shared = coach.get(reverse("growth:shared"))
    assert reverse("growth:shared-plan", args=[growth.owner.code]) not in html(shared)
    assert not objectives_for_session(growth.cast.coach, growth.coaching_session).exists()


def test_anonymous_is_sent_to_log_in(growth: Growth) -> None:
    for url in read_urls(growth):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


# --- querysets ----------------------------------------------------------------------


def test_querysets_yield_to_the_owner_and_the_shared_reader_only(growth: Growth) -> None:
    everyone = growth.cast.everyone()
    for role, viewer in everyone.items():
        may = role in ("report", "coach")
        for model in (DevelopmentPlan, Objective, PlanAction, CheckIn):
            assert model.objects.visible_to(viewer).exists() == may, (role, model)
        missions = set(MissionStatement.objects.visible_to(viewer))
        expected = {
            "report": {growth.mission, growth.old_mission},
            "coach": {growth.mission},  # the current version only
        }.get(role, set())
        assert missions == expected, role


def test_share_queryset_yields_to_its_two_people(growth: Growth) -> None:
    for role, viewer in growth.cast.everyone().items():
        assert PlanShare.objects.visible_to(viewer).exists() == (role in ("report", "coach"))


# --- objectives on a coaching session page -------------------------------------------


def test_session_objectives_show_to_a_party_the_plan_is_shared_with(growth: Growth) -> None:
    session = growth.coaching_session
    assert list(objectives_for_session(growth.owner, session)) == [growth.objective]
    assert list(objectives_for_session(growth.cast.coach, session)) == [growth.objective]


def test_linking_to_a_one_on_one_does_not_share_with_the_manager(growth: Growth) -> None:
    services.link_session(growth.owner, growth.objective, growth.one_on_one_session)
    session = growth.one_on_one_session
    assert list(objectives_for_session(growth.owner, session)) == [growth.objective]
    assert not objectives_for_session(growth.cast.manager, session).exists()
    assert not objectives_for_session(growth.cast.director, session).exists()


def test_shared_reader_who_is_not_a_party_does_not_learn_of_the_session(cast: Cast) -> None:
    from cairn.growth.tests.factories import build_growth

    growth = build_growth(cast)
    counseling = make_engagement(cast.peer, cast.report, EngagementKind.COUNSELING)
    session = make_session(counseling)
    services.link_session(growth.owner, growth.objective, session)
    label = Objective.objects.get().session_label
    assert "Counseling" in label
    response = client_for(cast.coach).get(reverse("growth:objective", args=[growth.objective.code]))
    page = html(response)
    assert response.status_code == 200
    assert WHAT in page
    assert str(session.code) not in page
    assert label not in page
    assert "Counseling" not in page
    plan_page = html(
        client_for(cast.coach).get(reverse("growth:shared-plan", args=[cast.report.code]))
    )
    assert label not in plan_page
    # The owner, a party, sees where it is reviewed.
    owner_page = html(
        client_for(cast.report).get(reverse("growth:objective", args=[growth.objective.code]))
    )
    assert str(session.code) in owner_page


# --- the Django admin and superusers --------------------------------------------------


def superuser_client() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model",
    ["missionstatement", "developmentplan", "objective", "planaction", "checkin", "planshare"],
)
def test_django_admin_has_no_page_for_growth(growth: Growth, model: str) -> None:
    client = superuser_client()
    for url in (f"/admin/growth/{model}/", f"/admin/growth/{model}/add/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert_nothing_of(html(response))


def test_admin_delete_confirmation_for_the_owner_shows_no_growth(growth: Growth) -> None:
    client = superuser_client()
    response = client.get(f"/admin/people/person/{growth.owner.pk}/delete/")
    assert response.status_code == 200
    assert "Are you sure" in html(response)
    assert_nothing_of(html(response))


def test_superuser_without_a_person_sees_no_growth(growth: Growth) -> None:
    client = superuser_client()
    for url in [reverse("growth:home"), *read_urls(growth)]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert_nothing_of(html(response))


def test_superuser_who_is_a_person_cannot_read_unshared_growth(growth: Growth) -> None:
    User.objects.filter(pk=growth.cast.admin.user_id).update(is_superuser=True, is_staff=True)
    for url in read_urls(growth):
        response = client_for(growth.cast.admin).get(url)
        assert response.status_code == 404
        assert_nothing_of(html(response))


def test_plans_of_another_organisation_cannot_be_shared_into(growth: Growth) -> None:
    # The outsider's own share form offers nobody from the report's organisation, and
    # posting a report's code anyway is refused with a message, saving nothing.
    client = client_for(growth.cast.outsider)
    response = client.post(reverse("growth:share-add"), {"person": str(growth.cast.coach.code)})
    assert response.status_code == 422
    assert "Choose someone from your organisation." in html(response)
    assert not PlanShare.objects.filter(owner=growth.cast.outsider).exists()
    page = html(client.get(reverse("growth:plan")))
    assert str(growth.cast.coach.code) not in page


def test_objective_edit_form_for_shared_reader_is_404(growth: Growth) -> None:
    response = client_for(growth.cast.coach).get(
        reverse("growth:objective-edit", args=[growth.objective.code])
    )
    assert response.status_code == 404
    assert_nothing_of(html(response))


def test_owner_can_edit_after_the_scale_data_helper(growth: Growth) -> None:
    # The control for the 404s above: the same POST by the owner goes through.
    response = client_for(growth.owner).post(
        reverse("growth:objective-edit", args=[growth.objective.code]),
        {"what": "renamed objective", "status": "in_progress", **scale_data()},
    )
    assert response.status_code == 302
    assert Objective.objects.get().what == "renamed objective"


def test_another_member_of_the_org_is_not_a_reader(cast: Cast) -> None:
    newcomer = make_person(cast.org, "Nia Newcomer")
    from cairn.growth.tests.factories import build_growth

    growth = build_growth(cast)
    response = client_for(newcomer).get(reverse("growth:shared-plan", args=[growth.owner.code]))
    assert response.status_code == 404


def test_policy_rows_match_the_pages(growth: Growth) -> None:
    from cairn.growth import policy

    for role, viewer in growth.cast.everyone().items():
        assert policy.can_read_growth(viewer, growth.owner) == (role in ("report", "coach"))
        assert policy.can_edit_growth(viewer, growth.owner) == (role == "report")
