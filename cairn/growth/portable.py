"""A person's mission statement and development plan, as portable data.

The export app assembles one JSON document from every app's ``portable.py``; these
are growth's sections. They hold what the person owns and nothing else: not the
people they share with (a share is about someone else), not database ids. A linked
coaching session travels as words ("Mentoring with Tomasz Kowalski, 2026-11-20
10:00"), since its id means nothing in another instance.

Export, then import into an empty person, then export again gives the same sections.
The one thing that cannot survive a move between instances is who an action item is
for when that is someone else: it travels as their name and their person code, and
on import it is linked to the person with that code in the importing person's
organisation when there is one, and kept as the name otherwise.

An action item's keys in the document are those of ``cairn.export/1`` — ``who_is_me``,
``who``, ``who_code``, ``what`` — although the model now calls them ``owner``,
``owner_name``, ``owner_code`` and ``description``, like a session's action item.
Renaming a key would be a new version of the format (docs/export-format.md,
*Versions*); the mapping lives here, in ``_export_action`` and ``_read_action``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from cairn.growth.models import (
    ACTION_MAX,
    ANSWER_MAX,
    CHECK_IN_MAX,
    MISSION_MAX,
    OBJECTIVE_TEXT_MAX,
    OBJECTIVE_WHAT_MAX,
    PLAN_TEXT_MAX,
    SCALE_POSITIONS,
    SCALE_TEXT_MAX,
    SESSION_LABEL_MAX,
    CheckIn,
    DevelopmentPlan,
    MissionStatement,
    Objective,
    ObjectiveStatus,
    PlanAction,
    scale_label,
)
from cairn.growth.services import session_label
from cairn.people.models import Person

SECTIONS = ("mission_statements", "development_plan", "objectives")
SCALE_KEYS = tuple(scale_label(p) for p in SCALE_POSITIONS)  # "-2", "-1", "0", "+1", "+2"
OWNER_NAME_MAX = 120

Item = dict[str, Any]
_T = TypeVar("_T")


# --- export ------------------------------------------------------------------------


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _owner_code(action: PlanAction) -> str | None:
    if action.owner is not None:
        return str(action.owner.code)
    return action.owner_code or None


def export_sections(person: Person) -> dict[str, list[Item]]:
    """The person's own mission statement versions (oldest first), their plan (a
    one-element list, or empty) and its objectives (oldest first), each with its
    action items, check-ins, scale and linked session. JSON-safe values only."""
    missions = [
        {
            "text": m.text,
            "love": m.love,
            "morning": m.morning,
            "become": m.become,
            "created_at": _when(m.created_at),
        }
        for m in MissionStatement.objects.filter(owner=person).order_by("created_at", "id")
    ]
    plan = DevelopmentPlan.objects.filter(owner=person).first()
    plans = (
        [{"dreams": plan.dreams, "become": plan.become, "created_at": _when(plan.created_at)}]
        if plan is not None
        else []
    )
    objectives = (
        Objective.objects.filter(plan__owner=person)
        .select_related("session__engagement__giver", "session__engagement__receiver")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related("owner").order_by("created_at", "id"),
            ),
            Prefetch("check_ins", queryset=CheckIn.objects.order_by("created_at", "id")),
        )
        .order_by("created_at", "id")
    )
    return {
        "mission_statements": missions,
        "development_plan": plans,
        "objectives": [_export_objective(objective, person) for objective in objectives],
    }


def _export_objective(objective: Objective, person: Person) -> Item:
    linked: str | None = objective.session_label or None
    if objective.session is not None:
        linked = session_label(objective.session, person)
    return {
        "what": objective.what,
        "why": objective.why,
        "how": objective.how,
        "measure": objective.measure,
        "target_on": _day(objective.target_on),
        "status": objective.status,
        "created_at": _when(objective.created_at),
        "scale": (
            dict(zip(SCALE_KEYS, objective.scale_texts(), strict=True))
            if objective.has_scale
            else None
        ),
        "linked_session": linked,
        "action_items": [_export_action(action, person) for action in objective.actions.all()],
        "check_ins": [
            {
                "note": check_in.note,
                "position": check_in.position,
                "created_at": _when(check_in.created_at),
            }
            for check_in in objective.check_ins.all()
        ],
    }


def _export_action(action: PlanAction, person: Person) -> Item:
    is_me = action.owner_id == person.pk
    return {
        # The plan's owner travels as "me": in another account, "me" is its owner.
        "who_is_me": is_me,
        "who": None if is_me else action.owner_display,
        "who_code": None if is_me else _owner_code(action),
        "what": action.description,
        "due_on": _day(action.due_on),
        "done_at": _when(action.done_at),
        "created_at": _when(action.created_at),
    }


# --- import ------------------------------------------------------------------------


class _Reader:
    """Reads one item of a section, with errors that say where they are."""

    def __init__(self, where: str, item: object) -> None:
        self.where = where
        if not isinstance(item, dict):
            self.fail("is not an object")
        self.item: dict[str, Any] = item  # type: ignore[assignment]

    def fail(self, message: str) -> None:
        raise ValidationError(f"{self.where}: {message}.")

    def _get(self, key: str, kind: type[_T] | tuple[type, ...], *, optional: bool) -> Any:
        value = self.item.get(key)
        if value is None:
            if not optional:
                self.fail(f"{key} is missing")
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.fail(f"{key} has the wrong type")
        return value

    def text(self, key: str, limit: int, *, required: bool = False) -> str:
        value: str = self._get(key, str, optional=not required) or ""
        if required and not value.strip():
            self.fail(f"{key} is empty")
        if len(value) > limit:
            self.fail(f"{key} is longer than {limit} characters")
        return value

    def flag(self, key: str) -> bool:
        return bool(self._get(key, bool, optional=True))

    def _parse(self, key: str, parse: Callable[[str], _T], what: str, optional: bool) -> _T | None:
        value = self._get(key, str, optional=optional)
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError:
            self.fail(f"{key} is not {what}")
            raise  # unreachable: fail raises

    def date(self, key: str, *, optional: bool = False) -> dt.date | None:
        return self._parse(key, dt.date.fromisoformat, "a date (YYYY-MM-DD)", optional)

    def required_date(self, key: str) -> dt.date:
        value = self.date(key)
        assert value is not None  # noqa: S101 (date raises when it is missing)
        return value

    def moment(self, key: str, *, optional: bool = False) -> dt.datetime | None:
        value = self._parse(key, dt.datetime.fromisoformat, "an ISO 8601 date and time", optional)
        if value is not None and value.tzinfo is None:
            self.fail(f"{key} has no time zone")
        return value

    def required_moment(self, key: str) -> dt.datetime:
        value = self.moment(key)
        assert value is not None  # noqa: S101 (moment raises when it is missing)
        return value

    def items(self, key: str) -> list[object]:
        value = self._get(key, list, optional=True)
        return value or []


def _section(sections: dict[str, list[Item]], key: str) -> list[object]:
    value: object = sections.get(key, [])
    if not isinstance(value, list):
        raise ValidationError(f"{key}: is not a list.")
    return value


def import_sections(person: Person, sections: dict[str, list[Item]]) -> set[str]:
    """Restore growth's sections for ``person``, who becomes the owner of everything
    in them. Called by the export app inside its transaction.

    Everything is read and checked before anything is written, so bad data raises
    ``ValidationError`` — naming the section and the item, e.g.
    ``objectives[2].check_ins[0]: position is set but the objective has no scale.`` —
    having saved nothing. Mission statement versions join any the person has (the
    newest becomes current); a plan is refused when the person has one already.
    Returns the keys of ``sections`` it handled."""
    handled = {key for key in SECTIONS if key in sections}
    versions = _read_missions(person, _section(sections, "mission_statements"))
    plan_items = _section(sections, "development_plan")
    if len(plan_items) > 1:
        raise ValidationError("development_plan: a person has one plan, not several.")
    existing_plan = DevelopmentPlan.objects.filter(owner=person).first()
    plan: DevelopmentPlan | None = existing_plan
    if plan_items:
        if existing_plan is not None:
            raise ValidationError(
                "development_plan[0]: this person has a development plan already."
            )
        read = _Reader("development_plan[0]", plan_items[0])
        plan = DevelopmentPlan(
            owner=person,
            dreams=read.text("dreams", PLAN_TEXT_MAX),
            become=read.text("become", PLAN_TEXT_MAX),
            created_at=read.required_moment("created_at"),
        )
    objective_items = _section(sections, "objectives")
    if objective_items and plan is None:
        raise ValidationError("objectives: objectives need a development_plan section.")
    parsed = _read_objectives(person, objective_items)

    _write_missions(person, versions)
    if plan is not None and plan.pk is None:
        plan.save()
    if plan is not None and parsed.objectives:
        parsed.write(plan)
    return handled


def _read_missions(person: Person, items: list[object]) -> list[MissionStatement]:
    versions = []
    for index, item in enumerate(items):
        read = _Reader(f"mission_statements[{index}]", item)
        versions.append(
            MissionStatement(
                owner=person,
                text=read.text("text", MISSION_MAX, required=True),
                love=read.text("love", ANSWER_MAX),
                morning=read.text("morning", ANSWER_MAX),
                become=read.text("become", ANSWER_MAX),
                created_at=read.required_moment("created_at"),
                is_current=False,
            )
        )
    return versions


def _write_missions(person: Person, versions: list[MissionStatement]) -> None:
    if not versions:
        return
    existing = MissionStatement.objects.filter(owner=person).current().first()
    newest = max(versions, key=lambda version: version.created_at)
    if existing is None or newest.created_at > existing.created_at:
        MissionStatement.objects.filter(owner=person, is_current=True).update(is_current=False)
        newest.is_current = True
    MissionStatement.objects.bulk_create(versions)


class _Objectives:
    """Objectives read from a section, with their action items and check-ins, ready
    to be written in three bulk inserts."""

    def __init__(self) -> None:
        self.objectives: list[Objective] = []
        self.actions: list[tuple[int, PlanAction]] = []
        self.check_ins: list[tuple[int, CheckIn]] = []

    def write(self, plan: DevelopmentPlan) -> None:
        for objective in self.objectives:
            objective.plan = plan
        Objective.objects.bulk_create(self.objectives)
        for index, action in self.actions:
            action.objective = self.objectives[index]
        for index, check_in in self.check_ins:
            check_in.objective = self.objectives[index]
        PlanAction.objects.bulk_create([action for _, action in self.actions])
        CheckIn.objects.bulk_create([check_in for _, check_in in self.check_ins])


def _read_objectives(person: Person, items: list[object]) -> _Objectives:
    parsed = _Objectives()
    wanted_codes: dict[str, list[PlanAction]] = {}
    for index, item in enumerate(items):
        where = f"objectives[{index}]"
        read = _Reader(where, item)
        status = read.text("status", 20, required=True)
        if status not in ObjectiveStatus.values:
            read.fail(f"status must be one of {', '.join(ObjectiveStatus.values)}")
        objective = Objective(
            what=read.text("what", OBJECTIVE_WHAT_MAX, required=True),
            why=read.text("why", OBJECTIVE_TEXT_MAX),
            how=read.text("how", OBJECTIVE_TEXT_MAX),
            measure=read.text("measure", OBJECTIVE_TEXT_MAX),
            target_on=read.date("target_on", optional=True),
            status=status,
            session_label=read.text("linked_session", SESSION_LABEL_MAX),
            created_at=read.required_moment("created_at"),
        )
        scale = read.item.get("scale")
        if scale is not None:
            scale_read = _Reader(f"{where}.scale", scale)
            objective.set_scale(
                [scale_read.text(key, SCALE_TEXT_MAX, required=True) for key in SCALE_KEYS]
            )
        parsed.objectives.append(objective)
        for a_index, a_item in enumerate(read.items("action_items")):
            a_read = _Reader(f"{where}.action_items[{a_index}]", a_item)
            parsed.actions.append((index, _read_action(person, a_read, wanted_codes)))
        for c_index, c_item in enumerate(read.items("check_ins")):
            c_read = _Reader(f"{where}.check_ins[{c_index}]", c_item)
            position = c_read.item.get("position")
            if position is not None:
                if isinstance(position, bool) or position not in SCALE_POSITIONS:
                    c_read.fail("position must be a whole number from -2 to +2")
                if not objective.has_scale:
                    c_read.fail("position is set but the objective has no scale")
            parsed.check_ins.append(
                (
                    index,
                    CheckIn(
                        note=c_read.text("note", CHECK_IN_MAX, required=True),
                        position=position,
                        created_at=c_read.required_moment("created_at"),
                    ),
                )
            )
    _link_people(person, wanted_codes)
    return parsed


def _read_action(
    person: Person, read: _Reader, wanted_codes: dict[str, list[PlanAction]]
) -> PlanAction:
    """An action item of the document, by its ``cairn.export/1`` keys."""
    action = PlanAction(
        description=read.text("what", ACTION_MAX, required=True),
        due_on=read.required_date("due_on"),
        done_at=read.moment("done_at", optional=True),
        created_at=read.required_moment("created_at"),
    )
    if read.flag("who_is_me"):
        action.owner, action.owner_name = person, person.name
    else:
        action.owner_name = read.text("who", OWNER_NAME_MAX, required=True)
        code = read.text("who_code", 40)
        action.owner_code = code or ""
        if code:
            wanted_codes.setdefault(code, []).append(action)
    return action


def _link_people(person: Person, wanted: dict[str, list[PlanAction]]) -> None:
    """Action items for someone else find them by code in the importing person's
    organisation — never in another — or keep their name."""
    by_code: dict[uuid.UUID, list[PlanAction]] = {}
    for code, actions in wanted.items():
        try:
            by_code.setdefault(uuid.UUID(code), []).extend(actions)
        except ValueError:
            continue  # not a code at all: the name is what there is
    if not by_code:
        return
    people = Person.objects.filter(organisation_id=person.organisation_id, code__in=by_code)
    for match in people:
        for action in by_code[match.code]:
            action.owner = match
