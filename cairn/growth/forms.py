from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms

from cairn.coaching.forms import DATE_HELP, DateInput, plausible_year
from cairn.coaching.models import Session
from cairn.growth.models import (
    ACTION_MAX,
    ANSWER_MAX,
    CHECK_IN_MAX,
    MISSION_MAX,
    OBJECTIVE_TEXT_MAX,
    OBJECTIVE_WHAT_MAX,
    PLAN_TEXT_MAX,
    SCALE_MEANING,
    SCALE_POSITIONS,
    SCALE_TEXT_MAX,
    Objective,
    ObjectiveStatus,
    scale_label,
)
from cairn.growth.services import INCOMPLETE_SCALE, POSITION_WITHOUT_SCALE, session_label
from cairn.lib.forms import InlineSelect, OpaqueChoiceField
from cairn.lib.versions import VersionedForm
from cairn.people.models import Person
from cairn.people.pickers import PersonPickerField

PROMPTS = {
    "love": "What do you love doing?",
    "morning": "What gets you up in the morning?",
    "become": "Who do you want to become?",
}


def _too_long(limit: int) -> dict[str, str]:
    return {"max_length": f"Keep it to {limit} characters or fewer."}


def _answer(name: str) -> forms.CharField:
    return forms.CharField(
        label=PROMPTS[name],
        required=False,
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_too_long(ANSWER_MAX),
    )


def _statement() -> forms.CharField:
    return forms.CharField(
        label="My mission statement",
        max_length=MISSION_MAX,
        help_text=f"A few sentences, up to {MISSION_MAX} characters. Saving keeps the "
        "earlier versions.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Write your mission statement before saving it.",
            **_too_long(MISSION_MAX),
        },
    )


class MissionForm(forms.Form):
    text = _statement()


class GuidedMissionForm(forms.Form):
    love = _answer("love")
    morning = _answer("morning")
    become = _answer("become")
    text = _statement()
    keep_answers = forms.BooleanField(
        label="Keep my answers with this version", required=False, initial=True
    )


class PlanForm(VersionedForm):
    """The plan's two texts, and the version of the plan it was opened at (hidden)."""

    dreams = forms.CharField(
        label="Dreams and passions",
        required=False,
        max_length=PLAN_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_too_long(PLAN_TEXT_MAX),
    )
    become = forms.CharField(
        label="Who I want to become",
        required=False,
        max_length=PLAN_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_too_long(PLAN_TEXT_MAX),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (
            data.get("dreams", "").strip() or data.get("become", "").strip()
        ):
            raise forms.ValidationError(
                "Write your dreams and passions, or who you want to become."
            )
        return data


def _text(label: str, limit: int, *, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=_too_long(limit),
    )


class ObjectiveForm(forms.Form):
    what = forms.CharField(
        label="What",
        max_length=OBJECTIVE_WHAT_MAX,
        help_text="The objective, in a sentence.",
        error_messages={"required": "Say what the objective is.", **_too_long(OBJECTIVE_WHAT_MAX)},
    )
    why = _text("Why", OBJECTIVE_TEXT_MAX)
    how = _text("How", OBJECTIVE_TEXT_MAX)
    measure = _text("Measure", OBJECTIVE_TEXT_MAX)
    target_on = forms.DateField(
        label="Target date",
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        validators=[plausible_year],
        error_messages={"invalid": DATE_HELP},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ObjectiveStatus.choices,
        initial=ObjectiveStatus.NOT_STARTED,
        error_messages={
            "required": "Choose a status.",
            "invalid_choice": "Choose one of the statuses listed.",
        },
    )
    scale_minus_2 = _text(f"−2: {SCALE_MEANING[-2]}", SCALE_TEXT_MAX, rows=1)
    scale_minus_1 = _text(f"−1: {SCALE_MEANING[-1]}", SCALE_TEXT_MAX, rows=1)
    scale_0 = _text(f"0: {SCALE_MEANING[0]}", SCALE_TEXT_MAX, rows=1)
    scale_plus_1 = _text(f"+1: {SCALE_MEANING[1]}", SCALE_TEXT_MAX, rows=1)
    scale_plus_2 = _text(f"+2: {SCALE_MEANING[2]}", SCALE_TEXT_MAX, rows=1)

    SCALE_FIELDS = ("scale_minus_2", "scale_minus_1", "scale_0", "scale_plus_1", "scale_plus_2")

    @classmethod
    def initial_for(cls, objective: Objective) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "what": objective.what,
            "why": objective.why,
            "how": objective.how,
            "measure": objective.measure,
            "target_on": objective.target_on,
            "status": objective.status,
        }
        initial.update(zip(cls.SCALE_FIELDS, objective.scale_texts(), strict=True))
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        texts = [data.get(name, "").strip() for name in self.SCALE_FIELDS]
        if any(texts) and not all(texts):
            raise forms.ValidationError(INCOMPLETE_SCALE)
        return data

    def scale(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.SCALE_FIELDS]

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "what": data["what"],
            "why": data["why"],
            "how": data["how"],
            "measure": data["measure"],
            "target_on": data["target_on"],
            "status": data["status"],
            "scale": self.scale(),
        }

    def scale_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SCALE_FIELDS]


class ObjectiveEditForm(VersionedForm, ObjectiveForm):
    """An objective's edit form: the same fields, and the version it was opened at."""

    @classmethod
    def initial_for(cls, objective: Objective) -> dict[str, Any]:
        return {**super().initial_for(objective), "version": objective.version}


class ActionForm(forms.Form):
    """Who does what by when: the fields, names and labels of a session's action item
    form, so that both render with ``actions/_form.html``."""

    # The people the owner works with, anyone else of the organisation by a search
    # on the server (``owner_q``), never the whole organisation.
    owner = PersonPickerField(
        label="Who",
        empty_label="Choose who will do it",
        error_messages={
            "required": "Choose who will do it.",
            "invalid_choice": "Choose someone from your organisation.",
        },
    )
    description = forms.CharField(
        label="What",
        max_length=ACTION_MAX,
        error_messages={"required": "Say what will be done.", **_too_long(ACTION_MAX)},
    )
    due_on = forms.DateField(
        label="By when",
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        validators=[plausible_year],
        error_messages={"required": "Give a date it is due by.", "invalid": DATE_HELP},
    )

    def __init__(
        self,
        *args: Any,
        viewer: Person,
        search: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(PersonPickerField, self.fields["owner"]).configure(
            viewer=viewer,
            allowed=Person.objects.visible_to(viewer).active(),
            name="owner",
            search=search,
        )
        self.initial.setdefault("owner", viewer.code)


POSITION_CHOICES = [
    ("", "No position"),
    *[(str(p), f"{scale_label(p)}: {SCALE_MEANING[p]}") for p in SCALE_POSITIONS],
]


class CheckInForm(forms.Form):
    note = forms.CharField(
        label="Progress note",
        max_length=CHECK_IN_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write a note on your progress.",
            **_too_long(CHECK_IN_MAX),
        },
    )
    position = forms.TypedChoiceField(
        label="Where I stand on the scale",
        choices=POSITION_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a position from −2 to +2."},
    )

    def __init__(self, *args: Any, objective: Objective, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objective = objective

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("position") is not None and not self.objective.has_scale:
            self.add_error("position", POSITION_WITHOUT_SCALE)
        return data


class SessionLinkForm(forms.Form):
    session = OpaqueChoiceField[Session](
        label="Review it in",
        queryset=Session.objects.none(),
        required=False,
        empty_label="No session",
        widget=InlineSelect,
        error_messages={"invalid_choice": "Choose one of your own coaching sessions."},
    )

    def __init__(self, *args: Any, owner: Person, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(OpaqueChoiceField[Session], self.fields["session"])
        field.queryset = choices
        field.label_from_instance = lambda obj: session_label(obj, owner)  # type: ignore[method-assign]


class ShareForm(forms.Form):
    # Lists the people the owner works with; anyone else of the organisation by a
    # search on the server (``person_q``), never the whole organisation.
    person = PersonPickerField(
        label="Share with",
        empty_label="Choose a person",
        error_messages={
            "required": "Choose the person to share with.",
            "invalid_choice": "Choose someone from your organisation.",
        },
    )

    def __init__(
        self,
        *args: Any,
        owner: Person,
        search: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(PersonPickerField, self.fields["person"]).configure(
            viewer=owner,
            allowed=Person.objects.visible_to(owner).active().exclude(pk=owner.pk),
            name="person",
            search=search,
        )
