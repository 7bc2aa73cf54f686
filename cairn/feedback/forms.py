"""Feedback's forms: each maps its fields onto one service call."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

from cairn.coaching.forms import DATE_HELP, DateInput, plausible_year
from cairn.feedback import policy
from cairn.feedback.models import (
    ABOUT_MAX,
    ANSWER_MAX,
    DEFAULT_QUESTIONS,
    QUESTION_MAX,
    TAKEAWAY_MAX,
    WHY_MAX,
    About,
)
from cairn.feedback.services import (
    DUE_IN_THE_PAST,
    DUE_TOO_LATE,
    LATEST_DUE,
    MAX_ASKED,
    NOBODY_ASKED,
    NOT_A_COLLEAGUE,
    STRENGTHS_FIRST,
    TOO_MANY_ASKED,
)
from cairn.growth.models import Objective
from cairn.lib.forms import OpaqueChoiceField
from cairn.mastery.models import Competency
from cairn.people.models import Person


def _too_long(limit: int) -> dict[str, str]:
    return {"max_length": f"Keep it to {limit} characters or fewer."}


def _area(
    label: str, limit: int, *, required: bool = False, rows: int = 3, **kw: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={**_too_long(limit), **kw.pop("error_messages", {})},
        **kw,
    )


def _codes(data: Any, name: str) -> list[str]:
    """The values posted under ``name`` (a QueryDict holds several)."""
    return list(data.getlist(name)) if hasattr(data, "getlist") else []


def _people_from(actor: Person, codes: list[str]) -> tuple[list[Person], bool]:
    """The people named by posted codes, and whether every code named someone the
    actor may address (someone of their organisation, not themselves)."""
    people: list[Person] = []
    for code in dict.fromkeys(codes):
        person = policy.find_person(actor, code)
        if person is None or not policy.can_address(actor, person):
            return people, False
        people.append(person)
    return people, True


class AskForm(forms.Form):
    about = forms.ChoiceField(
        label="What is it about?",
        choices=About.choices,
        widget=forms.RadioSelect,
        initial=About.OBJECTIVE,
        error_messages={
            "required": "Choose what the feedback is about.",
            "invalid_choice": "Choose what the feedback is about.",
        },
    )
    objective = OpaqueChoiceField[Objective](
        label="Objective",
        queryset=Objective.objects.none(),
        required=False,
        empty_label="Choose one of your objectives",
        error_messages={"invalid_choice": "Choose one of your own objectives."},
    )
    competency = OpaqueChoiceField[Competency](
        label="Competency",
        queryset=Competency.objects.none(),
        required=False,
        empty_label="Choose a competency",
        error_messages={"invalid_choice": "Choose a competency of your organisation's frameworks."},
    )
    question = _area("Your open question", ABOUT_MAX, rows=2)
    question_well = forms.CharField(
        label="First question: strengths",
        max_length=QUESTION_MAX,
        initial=DEFAULT_QUESTIONS[0],
        error_messages={"required": "Ask what you do well first.", **_too_long(QUESTION_MAX)},
    )
    question_better = forms.CharField(
        label="Second question: what to get better at",
        max_length=QUESTION_MAX,
        initial=DEFAULT_QUESTIONS[1],
        error_messages={"required": "Ask what you could do better.", **_too_long(QUESTION_MAX)},
    )
    question_try = forms.CharField(
        label="Third question: one thing to try",
        max_length=QUESTION_MAX,
        initial=DEFAULT_QUESTIONS[2],
        error_messages={"required": "Ask for one thing to try.", **_too_long(QUESTION_MAX)},
    )
    due_on = forms.DateField(
        label="Answers due by",
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        validators=[plausible_year],
        error_messages={"required": "Give a date the answers are due by.", "invalid": DATE_HELP},
    )

    def __init__(self, *args: Any, actor: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        objective = cast(OpaqueChoiceField[Objective], self.fields["objective"])
        objective.queryset = policy.objective_choices(actor)
        competency = cast(OpaqueChoiceField[Competency], self.fields["competency"])
        competency.queryset = (
            Competency.objects.filter(
                framework__organisation_id=actor.organisation_id, retired_at__isnull=True
            )
            .select_related("framework")
            .order_by("framework__name", "framework_id", "position")
        )
        competency.label_from_instance = lambda obj: (  # type: ignore[method-assign]
            f"{obj.framework.name} · {obj.name}"
        )
        self.initial.setdefault("due_on", timezone.localdate() + dt.timedelta(days=14))
        self.chosen: list[Person] = []
        if self.is_bound:
            # One more than allowed is enough to refuse: never one look-up per posted
            # code, however many are posted.
            codes = list(dict.fromkeys(_codes(self.data, "people")))[: MAX_ASKED + 1]
            self.chosen, self.chosen_ok = _people_from(actor, codes)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.chosen_ok:
            self.add_error(None, NOT_A_COLLEAGUE)
        elif not self.chosen:
            self.add_error(None, NOBODY_ASKED)
        elif len(self.chosen) > MAX_ASKED:
            self.add_error(None, TOO_MANY_ASKED)
        about = data.get("about")
        if (
            about == About.OBJECTIVE
            and data.get("objective") is None
            and "objective" not in self.errors
        ):
            self.add_error("objective", "Choose one of your own objectives.")
        if (
            about == About.COMPETENCY
            and data.get("competency") is None
            and "competency" not in self.errors
        ):
            self.add_error("competency", "Choose a competency.")
        if about == About.QUESTION and not data.get("question", "").strip():
            self.add_error("question", "Write your question.")
        due = data.get("due_on")
        if due is not None:
            today = timezone.localdate()
            if due <= today:
                self.add_error("due_on", DUE_IN_THE_PAST)
            elif due > today + LATEST_DUE:
                self.add_error("due_on", DUE_TOO_LATE)
        return data

    def for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "people": self.chosen,
            "about": data["about"],
            "objective": data["objective"],
            "competency": data["competency"],
            "question": data["question"],
            "questions": [data["question_well"], data["question_better"], data["question_try"]],
            "due_on": data["due_on"],
        }


SIGNED_CHOICES = [
    ("signed", "Sign it: they see my name with my answer"),
    ("unsigned", "Leave it unsigned: no name, shown only once three unsigned answers are in"),
]


class AnswerForm(forms.Form):
    well = _area(
        "",
        ANSWER_MAX,
        required=True,
        rows=4,
        error_messages={"required": STRENGTHS_FIRST},
    )
    better = _area("", ANSWER_MAX, rows=4)
    to_try = _area("", ANSWER_MAX, rows=3)
    signed = forms.ChoiceField(
        label="Sign your answer?",
        choices=SIGNED_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to sign your answer.",
            "invalid_choice": "Choose whether to sign your answer.",
        },
    )

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, question in zip(("well", "better", "to_try"), questions, strict=True):
            self.fields[name].label = question

    def for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "well": data["well"],
            "better": data["better"],
            "to_try": data["to_try"],
            "signed": data["signed"] == "signed",
        }


class GiveForm(forms.Form):
    well = _area(
        "What they do well",
        ANSWER_MAX,
        required=True,
        rows=4,
        help_text="Start with strengths: two or three things they do well.",
        error_messages={"required": STRENGTHS_FIRST},
    )
    better = _area("What could be better (optional)", ANSWER_MAX, rows=4)

    def __init__(self, *args: Any, actor: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.receiver: Person | None = None
        self.receiver_ok = True
        if self.is_bound:
            codes = [c for c in _codes(self.data, "person") if c]
            people, ok = _people_from(actor, codes[:2])
            self.receiver_ok = ok and len(codes) <= 1
            self.receiver = people[0] if people and self.receiver_ok else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.receiver_ok:
            self.add_error(None, "Choose one person from your organisation, other than yourself.")
        elif self.receiver is None:
            self.add_error(None, "Choose whom you give feedback to.")
        return data


class TakeawayForm(forms.Form):
    text = _area(
        "What I take from it",
        TAKEAWAY_MAX,
        required=True,
        error_messages={"required": "Write what you take from it."},
    )
    objective = OpaqueChoiceField[Objective](
        label="Turn it into an action on my plan (optional)",
        queryset=Objective.objects.none(),
        required=False,
        empty_label="No action",
        error_messages={"invalid_choice": "Choose one of your own objectives."},
    )
    due_on = forms.DateField(
        label="Action due by",
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        validators=[plausible_year],
        error_messages={"invalid": DATE_HELP},
    )

    def __init__(self, *args: Any, actor: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(OpaqueChoiceField[Objective], self.fields["objective"])
        field.queryset = policy.objective_choices(actor)
        field.label_from_instance = lambda obj: obj.what  # type: ignore[method-assign]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("objective") is not None
            and data.get("due_on") is None
            and "due_on" not in self.errors
        ):
            self.add_error("due_on", "Give the action a date it is due by.")
        return data


class ShareForm(forms.Form):
    person = OpaqueChoiceField[Person](
        label="Let read my feedback",
        queryset=Person.objects.none(),
        empty_label="Choose your manager, coach or mentor",
        error_messages={
            "required": "Choose your manager, coach or mentor.",
            "invalid_choice": "Choose your manager, coach or mentor.",
        },
    )

    def __init__(self, *args: Any, owner: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(OpaqueChoiceField[Person], self.fields["person"])
        field.queryset = policy.share_candidates(owner)


class SessionHelpedForm(forms.Form):
    helped = forms.ChoiceField(
        choices=[("yes", "It helped"), ("no", "It did not help")],
        error_messages={
            "required": "Say whether it helped.",
            "invalid_choice": "Say whether it helped.",
        },
    )
    why = _area("Why (optional)", WHY_MAX, rows=2)
