"""Bad input on every form: a clear message, status 422, and nothing saved."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cairn.coaching.tests.factories import make_session, one_on_one
from cairn.growth.models import (
    MISSION_MAX,
    CheckIn,
    DevelopmentPlan,
    MissionStatement,
    Objective,
    PlanAction,
    PlanShare,
)
from cairn.growth.services import INCOMPLETE_SCALE
from cairn.growth.tests.factories import Growth, scale_data
from cairn.testing import client_for, html, htmx

DATE_HELP = "Enter the date as YYYY-MM-DD"


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (MissionStatement, DevelopmentPlan, Objective, PlanAction, CheckIn, PlanShare)
    )


def assert_refused(client: Client, url: str, data: dict[str, str], message: str) -> None:
    before = counts()
    objective = Objective.objects.order_by("id").first()
    for each in (client, htmx(client)):
        response = each.post(url, data)
        assert response.status_code == 422, (url, data, response.status_code)
        assert message in html(response), (url, data, message)
        assert 'role="alert"' in html(response)
    assert counts() == before
    if objective is not None:
        again = Objective.objects.get(pk=objective.pk)
        assert (again.what, again.status, again.scale_texts()) == (
            objective.what,
            objective.status,
            objective.scale_texts(),
        )


# --- mission statement -----------------------------------------------------------------

MISSION_CASES = [
    pytest.param({"text": ""}, "Write your mission statement before saving it.", id="empty"),
    pytest.param({"text": "   "}, "Write your mission statement before saving it.", id="blank"),
    pytest.param({"text": "x" * (MISSION_MAX + 1)}, "Keep it to 600 characters", id="too-long"),
]


@pytest.mark.parametrize(("data", "message"), MISSION_CASES)
def test_mission_refuses_bad_input(growth: Growth, data: dict[str, str], message: str) -> None:
    assert_refused(client_for(growth.owner), reverse("growth:mission"), data, message)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        *MISSION_CASES,
        pytest.param(
            {"text": "fine", "love": "y" * 601}, "Keep it to 600 characters", id="long-answer"
        ),
    ],
)
def test_guided_mission_refuses_bad_input(
    growth: Growth, data: dict[str, str], message: str
) -> None:
    url = reverse("growth:mission-guided")
    assert_refused(client_for(growth.owner), url, {"keep_answers": "on", **data}, message)


def test_guided_page_keeps_the_answers_when_the_statement_is_missing(growth: Growth) -> None:
    response = client_for(growth.owner).post(
        reverse("growth:mission-guided"), {"love": "gardening and compilers", "text": ""}
    )
    assert response.status_code == 422
    assert "gardening and compilers" in html(response)


# --- plan ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            {"dreams": "", "become": " "},
            "Write your dreams and passions, or who you want to become.",
            id="empty",
        ),
        pytest.param({"dreams": "d" * 2001, "become": ""}, "Keep it to 2000", id="too-long"),
    ],
)
def test_plan_refuses_bad_input(growth: Growth, data: dict[str, str], message: str) -> None:
    assert_refused(client_for(growth.cast.peer), reverse("growth:plan"), data, message)
    assert not DevelopmentPlan.objects.filter(owner=growth.cast.peer).exists()


# --- objectives ------------------------------------------------------------------------

OBJECTIVE_CASES = [
    pytest.param({"what": ""}, "Say what the objective is.", id="empty"),
    pytest.param({"what": "w" * 201}, "Keep it to 200 characters", id="too-long"),
    pytest.param({"target_on": "2026-13-45"}, DATE_HELP, id="bad-date"),
    pytest.param({"target_on": "next spring"}, DATE_HELP, id="not-a-date"),
    pytest.param({"target_on": "3026-01-01"}, "Choose a date between 2000 and 2100.", id="far"),
    pytest.param({"status": "abandoned"}, "Choose one of the statuses listed.", id="status"),
    pytest.param(
        {"scale_minus_2": "a", "scale_minus_1": "", "scale_0": "b", "scale_plus_1": ""},
        "Describe all five outcomes",
        id="incomplete-scale",
    ),
    pytest.param(
        {**scale_data(), "scale_plus_1": "  "}, "Describe all five outcomes", id="one-blank"
    ),
]


def objective_data(**changes: str) -> dict[str, str]:
    return {"what": "A fine objective", "status": "not_started", **changes}


@pytest.mark.parametrize(("changes", "message"), OBJECTIVE_CASES)
def test_new_objective_refuses_bad_input(
    growth: Growth, changes: dict[str, str], message: str
) -> None:
    url = reverse("growth:objective-new")
    assert_refused(client_for(growth.owner), url, objective_data(**changes), message)


@pytest.mark.parametrize(("changes", "message"), OBJECTIVE_CASES)
def test_objective_edit_refuses_bad_input(
    growth: Growth, changes: dict[str, str], message: str
) -> None:
    url = reverse("growth:objective-edit", args=[growth.objective.code])
    data = objective_data(**{**scale_data(), **changes})
    assert_refused(client_for(growth.owner), url, data, message)


def test_scale_with_recorded_positions_cannot_be_removed(growth: Growth) -> None:
    url = reverse("growth:objective-edit", args=[growth.objective.code])
    assert_refused(
        client_for(growth.owner),
        url,
        objective_data(),  # no scale at all
        "Check-ins record positions on this scale, so it cannot be removed.",
    )
    assert Objective.objects.get().has_scale


def test_incomplete_scale_message_names_all_five(growth: Growth) -> None:
    assert "from −2 to +2" in INCOMPLETE_SCALE


# --- action items ------------------------------------------------------------------------


def action_data(growth: Growth, **changes: str) -> dict[str, str]:
    return {
        "owner": str(growth.owner.code),
        "description": "Book a slot",
        "due_on": "2026-12-01",
        **changes,
    }


ACTION_CASES: list[tuple[str, Callable[[Growth], str], str]] = [
    ("description", lambda g: "", "Say what will be done."),
    ("description", lambda g: "w" * 301, "Keep it to 300 characters"),
    ("due_on", lambda g: "", "Give a date it is due by."),
    ("due_on", lambda g: "01/12/2026", DATE_HELP),
    ("due_on", lambda g: "2026-02-30", DATE_HELP),
    ("owner", lambda g: str(g.cast.outsider.code), "Choose someone from your organisation."),
    ("owner", lambda g: "17", "Choose someone from your organisation."),
    ("owner", lambda g: "", "Choose who will do it."),
]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    ACTION_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(ACTION_CASES)],
)
def test_action_add_refuses_bad_input(
    growth: Growth, field: str, value: Callable[[Growth], str], message: str
) -> None:
    url = reverse("growth:action-add", args=[growth.objective.code])
    data = action_data(growth, **{field: value(growth)})
    assert_refused(client_for(growth.owner), url, data, message)


# --- check-ins ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"note": ""}, "Write a note on your progress.", id="empty"),
        pytest.param({"note": "n" * 2001}, "Keep it to 2000 characters", id="too-long"),
        pytest.param({"note": "ok", "position": "3"}, "Choose a position from −2 to +2.", id="off"),
        pytest.param({"note": "ok", "position": "x"}, "Choose a position from −2 to +2.", id="nan"),
    ],
)
def test_check_in_refuses_bad_input(growth: Growth, data: dict[str, str], message: str) -> None:
    url = reverse("growth:check-in-add", args=[growth.objective.code])
    assert_refused(client_for(growth.owner), url, data, message)


def test_check_in_position_needs_a_scale(growth: Growth) -> None:
    client = client_for(growth.owner)
    response = client.post(reverse("growth:objective-new"), objective_data(what="No scale here"))
    assert response.status_code == 302
    plain = Objective.objects.get(what="No scale here")
    url = reverse("growth:check-in-add", args=[plain.code])
    assert_refused(
        client, url, {"note": "going well", "position": "1"}, "has no goal-attainment scale"
    )
    # Without a position it is fine.
    assert client.post(url, {"note": "going well", "position": ""}).status_code == 302
    assert plain.check_ins.get().position is None


# --- sharing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "message"),
    [
        pytest.param(lambda g: "", "Choose the person to share with.", id="empty"),
        pytest.param(
            lambda g: str(g.cast.outsider.code),
            "Choose someone from your organisation.",
            id="other-org",
        ),
        pytest.param(
            lambda g: str(g.owner.code), "Choose someone from your organisation.", id="self"
        ),
        pytest.param(
            lambda g: "not-a-code", "Choose someone from your organisation.", id="garbage"
        ),
        pytest.param(
            lambda g: str(g.cast.coach.code),
            "You already share your plan with Cody Coach.",
            id="twice",
        ),
    ],
)
def test_share_refuses_bad_input(
    growth: Growth, who: Callable[[Growth], str], message: str
) -> None:
    url = reverse("growth:share-add")
    assert_refused(client_for(growth.owner), url, {"person": who(growth)}, message)


def test_share_refuses_a_deactivated_person(growth: Growth) -> None:
    peer = growth.cast.peer
    peer.user.is_active = False
    peer.user.save(update_fields=["is_active"])
    url = reverse("growth:share-add")
    message = "Choose someone from your organisation."
    assert_refused(client_for(growth.owner), url, {"person": str(peer.code)}, message)


# --- linking a session -------------------------------------------------------------------


def test_session_link_refuses_someone_elses_session(growth: Growth) -> None:
    # The peer's one-on-one with the same manager: same organisation, not the owner's.
    theirs = make_session(one_on_one(growth.cast.manager, growth.cast.peer))
    url = reverse("growth:objective-session", args=[growth.objective.code])
    before = Objective.objects.get().session_id
    assert_refused(
        client_for(growth.owner),
        url,
        {"session": str(theirs.code)},
        "Choose one of your own coaching sessions.",
    )
    assert Objective.objects.get().session_id == before
