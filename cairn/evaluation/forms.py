"""Evaluation's forms. Each maps its fields onto one service's arguments."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from cairn.evaluation.models import (
    FIGURE_MAX,
    GOAL_MAX,
    METRIC_MAX,
    NAME_MAX,
    REVIEW_MAX,
    CycleStatus,
    Rating,
)
from cairn.people.models import Person, Team

DATE_HELP = "Enter the date as YYYY-MM-DD, for example 2026-12-01."
EVERYONE = "everyone"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _plausible_year(value: dt.date) -> None:
    if not 2000 <= value.year <= 2100:
        raise forms.ValidationError("Choose a date between 2000 and 2100.")


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        validators=[_plausible_year],
        error_messages={"required": f"Give the {label.lower()}.", "invalid": DATE_HELP},
    )


def _too_long(limit: int) -> dict[str, str]:
    return {"max_length": f"Keep it to {limit} characters or fewer."}


class CycleForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX,
        help_text="For example: 2026 first half.",
        error_messages={"required": "Give the cycle a name.", **_too_long(NAME_MAX)},
    )
    period_start = _date("Period start")
    period_end = _date("Period end")
    self_review_due = _date("Self-reviews due")
    manager_review_due = _date("Managers' reviews due")

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class OpenForm(forms.Form):
    """Whom to open the cycle for: one team, or everyone in the organisation."""

    team = forms.ChoiceField(
        label="Open the cycle for",
        error_messages={
            "required": "Choose a team, or everyone.",
            "invalid_choice": "Choose one of the teams listed, or everyone.",
        },
    )

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(t.code): t for t in Team.objects.visible_to(viewer)}
        field = cast(forms.ChoiceField, self.fields["team"])
        field.choices = [
            (EVERYONE, "Everyone in the organisation"),
            *((code, team.name) for code, team in self.teams.items()),
        ]

    def arguments(self) -> dict[str, Any]:
        choice = self.cleaned_data["team"]
        return {"team": None if choice == EVERYONE else self.teams[choice]}


class MoveForm(forms.Form):
    to = forms.ChoiceField(
        choices=[(CycleStatus.CLOSED, "Close"), (CycleStatus.RELEASED, "Release results")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose to close the cycle or to release its results.",
            "invalid_choice": "Choose to close the cycle or to release its results.",
        },
    )


class SelfReviewForm(forms.Form):
    text = forms.CharField(
        label="My self-review",
        max_length=REVIEW_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you achieved this period, measured against your goals.",
        error_messages={
            "required": "Write your self-review before saving it.",
            **_too_long(REVIEW_MAX),
        },
    )


class AssessmentForm(forms.Form):
    text = forms.CharField(
        label="Written assessment",
        max_length=REVIEW_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Write the assessment before saving it.",
            **_too_long(REVIEW_MAX),
        },
    )
    rating = forms.TypedChoiceField(
        label="Rating",
        coerce=int,
        choices=[("", "Choose a rating"), *Rating.choices],
        error_messages={
            "required": "Choose a rating from 1 to 5.",
            "invalid_choice": "Choose a rating from 1 to 5.",
        },
    )


class GoalForm(forms.Form):
    name = forms.CharField(
        label="Goal",
        max_length=GOAL_MAX,
        error_messages={"required": "Name the goal.", **_too_long(GOAL_MAX)},
    )
    metric = forms.CharField(
        label="Metric",
        max_length=METRIC_MAX,
        help_text="How it is measured, for example: p95 latency of checkout.",
        error_messages={"required": "Say how the goal is measured.", **_too_long(METRIC_MAX)},
    )
    target = forms.CharField(
        label="Target",
        max_length=FIGURE_MAX,
        error_messages={"required": "Give a target.", **_too_long(FIGURE_MAX)},
    )
    actual = forms.CharField(
        label="Actual", max_length=FIGURE_MAX, required=False, error_messages=_too_long(FIGURE_MAX)
    )


__all__ = [
    "EVERYONE",
    "AssessmentForm",
    "CycleForm",
    "GoalForm",
    "MoveForm",
    "OpenForm",
    "SelfReviewForm",
]
