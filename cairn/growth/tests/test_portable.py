"""Growth's sections of a person's export: complete, JSON-safe, theirs alone, and
re-importable — export, import into an empty person, export again: the same."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement, make_session
from cairn.growth import services
from cairn.growth.models import (
    CheckIn,
    DevelopmentPlan,
    MissionStatement,
    Objective,
    ObjectiveStatus,
    PlanAction,
)
from cairn.growth.portable import SECTIONS, export_sections, import_sections
from cairn.growth.tests.factories import (
    ACTION,
    ANSWER,
    CHECK_IN,
    MISSION,
    MISSION_OLD,
    SCALE,
    WHAT,
    build_growth,
)
from cairn.testing import Cast, make_org, make_person

NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def rich_growth(cast: Cast) -> dict[str, list[dict[str, Any]]]:
    """The report's growth with every kind of row, at several moments."""
    growth = build_growth(cast)
    owner = cast.report
    later = timezone.now() + dt.timedelta(hours=2)
    services.add_action(
        owner,
        growth.objective,
        owner=cast.coach,
        description="coach sends the reading list",
        due_on=dt.date(2026, 4, 1),
        now=later,
    )
    services.set_action_done(owner, growth.action, done=True, now=later)
    plain = services.add_objective(
        owner,
        what="second objective, no scale",
        status=ObjectiveStatus.ACHIEVED,
        target_on=dt.date(2026, 6, 30),
        now=later,
    )
    services.add_check_in(owner, plain, note="done and dusted", now=later)
    return export_sections(owner)


def walk(value: object) -> Iterator[tuple[str, object]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def test_round_trip_into_an_empty_person_gives_the_same_sections(cast: Cast, frozen: None) -> None:
    exported = rich_growth(cast)
    newcomer = make_person(cast.org, "Nora Newcomer")
    with transaction.atomic():
        handled = import_sections(newcomer, json.loads(json.dumps(exported)))
    assert handled == set(SECTIONS)
    assert export_sections(newcomer) == exported
    # Restored natively: the newcomer's pages work from real rows.
    current = MissionStatement.objects.filter(owner=newcomer).current().get()
    assert current.text == MISSION
    assert Objective.objects.filter(plan__owner=newcomer).count() == 2
    mine = PlanAction.objects.filter(objective__plan__owner=newcomer, description=ACTION).get()
    assert mine.owner == newcomer
    coachs = (
        PlanAction.objects.filter(objective__plan__owner=newcomer).exclude(owner=newcomer).get()
    )
    assert coachs.owner == cast.coach  # same organisation: found by code again


def test_sections_hold_everything_in_a_deterministic_order(cast: Cast, frozen: None) -> None:
    exported = rich_growth(cast)
    assert exported == export_sections(cast.report)
    assert [m["text"] for m in exported["mission_statements"]] == [MISSION_OLD, MISSION]
    assert exported["mission_statements"][1]["love"] == ANSWER
    assert len(exported["development_plan"]) == 1
    first, second = exported["objectives"]
    assert first["what"] == WHAT
    assert first["scale"] == dict(zip(["-2", "-1", "0", "+1", "+2"], SCALE, strict=True))
    assert second["scale"] is None
    assert [c["note"] for c in first["check_ins"]] == [CHECK_IN]
    assert first["check_ins"][0]["position"] == 0
    assert [a["what"] for a in first["action_items"]] == [ACTION, "coach sends the reading list"]
    assert first["action_items"][0]["who_is_me"] is True
    assert first["action_items"][0]["done_at"] == (NOW + dt.timedelta(hours=2)).isoformat()
    assert first["action_items"][1]["who"] == cast.coach.name


def test_sections_are_json_safe_and_carry_no_database_ids(cast: Cast, frozen: None) -> None:
    exported = rich_growth(cast)
    assert json.loads(json.dumps(exported)) == exported
    for key, value in walk(exported):
        assert key != "id", key
        assert not key.endswith("_id"), key
        if isinstance(value, int) and not isinstance(value, bool):
            assert key == "position", key  # the only number: -2 to +2


def test_linked_session_travels_as_words(cast: Cast, frozen: None) -> None:
    growth = build_growth(cast)
    exported = export_sections(cast.report)
    linked = exported["objectives"][0]["linked_session"]
    when = timezone.localtime(growth.coaching_session.scheduled_for).strftime("%Y-%m-%d %H:%M")
    assert linked == f"Coaching with {cast.coach.name}, {when}"
    assert str(growth.coaching_session.code) not in json.dumps(exported)


def test_export_holds_nothing_the_person_does_not_own(cast: Cast, frozen: None) -> None:
    rich_growth(cast)
    # The coach reads the report's plan, but none of it is the coach's to export.
    assert export_sections(cast.coach) == {
        "mission_statements": [],
        "development_plan": [],
        "objectives": [],
    }
    services.save_mission_statement(cast.coach, text="the coach's own mission")
    report_export = json.dumps(export_sections(cast.report))
    assert "the coach's own mission" not in report_export


def test_import_elsewhere_keeps_unknown_people_as_names(cast: Cast, frozen: None) -> None:
    exported = rich_growth(cast)
    stranger = make_person(make_org("Another Instance"), "Sam Stranger")
    with transaction.atomic():
        import_sections(stranger, exported)
    item = PlanAction.objects.get(
        objective__plan__owner=stranger, description="coach sends the reading list"
    )
    assert item.owner is None
    assert item.owner_display == cast.coach.name
    again = export_sections(stranger)["objectives"][0]["action_items"][1]
    assert again["who"] == cast.coach.name
    # Unknown here, the code is kept as it came, so the next export is the same.
    assert again["who_code"] == str(cast.coach.code)


def test_import_of_linked_session_keeps_its_words(cast: Cast, frozen: None) -> None:
    exported = rich_growth(cast)
    newcomer = make_person(cast.org, "Nora Newcomer")
    import_sections(newcomer, exported)
    objective = Objective.objects.filter(plan__owner=newcomer).order_by("created_at").first()
    assert objective is not None
    assert objective.session is None
    assert objective.session_label == exported["objectives"][0]["linked_session"]


def test_imported_versions_join_existing_ones_and_the_newest_is_current(
    cast: Cast, frozen: None
) -> None:
    exported = rich_growth(cast)
    newcomer = make_person(cast.org, "Nora Newcomer")
    services.save_mission_statement(
        newcomer, text="written long ago", now=NOW - dt.timedelta(days=400)
    )
    import_sections(newcomer, {"mission_statements": exported["mission_statements"]})
    texts = list(MissionStatement.objects.filter(owner=newcomer).values_list("text", "is_current"))
    assert texts == [(MISSION, True), (MISSION_OLD, False), ("written long ago", False)]


def test_import_returns_only_the_keys_it_handles(cast: Cast) -> None:
    newcomer = make_person(cast.org, "Nora Newcomer")
    assert import_sections(newcomer, {"coaching_notes": [], "mission_statements": []}) == {
        "mission_statements"
    }


# --- bad data: a readable message naming where, and nothing saved ------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: object) -> Mutation:
    def mutate(sections: dict[str, Any]) -> None:
        target: Any = sections
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _drop_scale(sections: dict[str, Any]) -> None:
    sections["objectives"][0]["scale"] = None


BAD = [
    pytest.param(
        _set(["mission_statements", 1, "text"], ""),
        "mission_statements[1]: text is empty",
        id="empty-mission",
    ),
    pytest.param(
        _set(["mission_statements", 0, "text"], "x" * 601),
        "mission_statements[0]: text is longer than 600",
        id="long-mission",
    ),
    pytest.param(
        _set(["mission_statements", 0, "created_at"], "yesterday"),
        "mission_statements[0]: created_at is not an ISO 8601",
        id="bad-moment",
    ),
    pytest.param(
        _set(["mission_statements", 0, "created_at"], "2026-03-10T09:30:00"),
        "created_at has no time zone",
        id="naive",
    ),
    pytest.param(
        _set(["mission_statements", 0], "just text"),
        "mission_statements[0]: is not an object",
        id="not-object",
    ),
    pytest.param(
        _set(["development_plan", 0, "dreams"], 42),
        "development_plan[0]: dreams has the wrong type",
        id="plan-type",
    ),
    pytest.param(
        _set(["objectives", 1, "status"], "abandoned"),
        "objectives[1]: status must be one of",
        id="status",
    ),
    pytest.param(
        _set(["objectives", 0, "what"], ""), "objectives[0]: what is empty", id="empty-what"
    ),
    pytest.param(
        _set(["objectives", 1, "target_on"], "30/06/2026"),
        "objectives[1]: target_on is not a date",
        id="bad-date",
    ),
    pytest.param(
        _set(["objectives", 0, "scale", "+1"], ""),
        "objectives[0].scale: +1 is empty",
        id="incomplete-scale",
    ),
    pytest.param(
        _drop_scale,
        "objectives[0].check_ins[0]: position is set but the objective has no scale",
        id="position-no-scale",
    ),
    pytest.param(
        _set(["objectives", 0, "check_ins", 0, "position"], 3),
        "objectives[0].check_ins[0]: position must be",
        id="position-off",
    ),
    pytest.param(
        _set(["objectives", 0, "action_items", 1, "due_on"], None),
        "objectives[0].action_items[1]: due_on is missing",
        id="no-due",
    ),
    pytest.param(
        _set(["objectives", 0, "action_items", 1, "who"], ""),
        "objectives[0].action_items[1]: who is empty",
        id="no-who",
    ),
    pytest.param(_set(["objectives"], {"what": "x"}), "objectives: is not a list", id="not-list"),
]


@pytest.mark.parametrize(("mutate", "message"), BAD)
def test_bad_data_is_refused_by_section_and_index(
    cast: Cast, frozen: None, mutate: Mutation, message: str
) -> None:
    sections = copy.deepcopy(rich_growth(cast))
    mutate(sections)
    newcomer = make_person(cast.org, "Nora Newcomer")
    before = [
        m.objects.count()
        for m in (MissionStatement, DevelopmentPlan, Objective, PlanAction, CheckIn)
    ]
    with pytest.raises(ValidationError) as raised:
        import_sections(newcomer, sections)
    assert message in " ".join(raised.value.messages)
    after = [
        m.objects.count()
        for m in (MissionStatement, DevelopmentPlan, Objective, PlanAction, CheckIn)
    ]
    assert after == before


def test_a_second_plan_is_refused(cast: Cast, frozen: None) -> None:
    exported = rich_growth(cast)
    with pytest.raises(
        ValidationError, match="development_plan\\[0\\]: this person has a development plan already"
    ):
        import_sections(cast.report, exported)


def test_coaching_session_from_a_closed_engagement_still_exports(cast: Cast, frozen: None) -> None:
    # Sessions stay when an engagement closes; the link and its words stay too.
    engagement = make_engagement(cast.peer, cast.report, EngagementKind.MENTORING)
    session = make_session(engagement)
    objective = services.add_objective(cast.report, what="learn from Pat")
    services.link_session(cast.report, objective, session)
    engagement.status = "closed"
    engagement.save(update_fields=["status"])
    linked = export_sections(cast.report)["objectives"][0]["linked_session"]
    assert linked.startswith(f"Mentoring with {cast.peer.name}, ")


def test_export_costs_the_same_queries_at_1_and_50_rows(cast: Cast) -> None:
    from cairn.testing import count_queries

    owner = cast.report

    def grow(rows: int) -> None:
        for n in range(rows):
            services.save_mission_statement(owner, text=f"version {n}")
            objective = services.add_objective(owner, what=f"objective {n}", scale=SCALE)
            services.add_action(
                owner,
                objective,
                owner=cast.coach,
                description=f"step {n}",
                due_on=dt.date(2026, 5, 1),
            )
            services.add_check_in(owner, objective, note=f"progress {n}", position=1)

    grow(1)
    small = count_queries(lambda: export_sections(owner))
    grow(49)
    large = count_queries(lambda: export_sections(owner))
    # Missions, plan, objectives (with their sessions), action items, check-ins.
    assert small == large == 5
