from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from cairn.coaching.models import (
    Cadence,
    Direction,
    Engagement,
    EngagementKind,
    NoteVisibility,
    SessionTemplate,
)
from cairn.lib.forms import OpaqueChoiceField
from cairn.people.models import Person

DATE_HELP = "Enter the date as YYYY-MM-DD, for example 2026-12-01."
DATETIME_HELP = "Enter the date and time as YYYY-MM-DD HH:MM, for example 2026-12-01 10:00."


def plausible_year(value: dt.date) -> None:
    """Far-off years are typing slips, and cadence arithmetic on a session in year
    9999 would overflow the next time the engagement page is shown."""
    if not 2000 <= value.year <= 2100:
        raise forms.ValidationError("Choose a date between 2000 and 2100.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def template_field(label: str) -> OpaqueChoiceField[SessionTemplate]:
    """A choice of session template, posted by slug; each form limits it to the
    templates the viewer may use."""
    return OpaqueChoiceField(
        label=label,
        to_field_name="slug",
        queryset=SessionTemplate.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose one of the templates listed.",
            "invalid_choice": "Choose one of the templates listed.",
        },
    )


class AgendaItemForm(forms.Form):
    text = forms.CharField(
        label="Talking point",
        max_length=300,
        error_messages={"required": "Write the talking point you want to bring."},
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write something before saving the note."},
    )
    visibility = forms.ChoiceField(
        label="Who can read it",
        choices=NoteVisibility.choices,
        initial=NoteVisibility.SHARED,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the note is shared or private.",
            "invalid_choice": "Choose whether the note is shared or private.",
        },
    )


class ActionItemForm(forms.Form):
    owner = OpaqueChoiceField[Person](
        label="Who",
        queryset=Person.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose which of you will do it.",
            "invalid_choice": "Choose one of the two of you.",
        },
    )
    description = forms.CharField(
        label="What",
        max_length=300,
        error_messages={"required": "Say what will be done."},
    )
    due_on = forms.DateField(
        label="By when",
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        validators=[plausible_year],
        error_messages={"required": "Give a date it is due by.", "invalid": DATE_HELP},
    )

    def __init__(self, *args: Any, engagement: Engagement, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(OpaqueChoiceField[Person], self.fields["owner"])
        field.queryset = Person.objects.filter(pk__in=[engagement.giver_id, engagement.receiver_id])
        field.label_from_instance = lambda obj: "Me" if obj.pk == viewer.pk else obj.name  # type: ignore[method-assign]
        self.initial.setdefault("owner", engagement.receiver)


class ScheduleSessionForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label="When",
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[plausible_year],
        error_messages={"required": "Choose when the session is.", "invalid": DATETIME_HELP},
    )
    template = template_field("Template")

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(OpaqueChoiceField[SessionTemplate], self.fields["template"])
        field.queryset = SessionTemplate.objects.visible_to(viewer)


class ProposeEngagementForm(forms.Form):
    ROLE_GIVER = "giver"
    ROLE_RECEIVER = "receiver"

    other = OpaqueChoiceField[Person](
        label="With",
        queryset=Person.objects.none(),
        error_messages={
            "required": "Choose the person.",
            "invalid_choice": "Choose someone from your organisation.",
        },
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=[c for c in EngagementKind.choices if c[0] != EngagementKind.ONE_ON_ONE],
        error_messages={
            "required": "Choose the kind of engagement.",
            "invalid_choice": "Choose one of the kinds listed. Manager one-on-ones start by "
            "themselves from reporting lines.",
        },
    )
    role = forms.ChoiceField(
        label="My part",
        choices=[
            (ROLE_GIVER, "I coach, mentor or counsel them"),
            (ROLE_RECEIVER, "They coach, mentor or counsel me"),
        ],
        widget=forms.RadioSelect,
        initial=ROLE_RECEIVER,
        error_messages={
            "required": "Choose your part.",
            "invalid_choice": "Choose your part.",
        },
    )
    direction = forms.ChoiceField(
        label="Direction",
        choices=[("", "Work it out from the reporting lines"), *Direction.choices],
        required=False,
        error_messages={"invalid_choice": "Choose one of the directions listed."},
    )
    cadence = forms.ChoiceField(
        label="How often",
        choices=Cadence.choices,
        initial=Cadence.FORTNIGHTLY,
        error_messages={
            "required": "Choose how often you will meet.",
            "invalid_choice": "Choose how often you will meet.",
        },
    )
    template = template_field("Session template")

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        other = cast(OpaqueChoiceField[Person], self.fields["other"])
        template = cast(OpaqueChoiceField[SessionTemplate], self.fields["template"])
        other.queryset = Person.objects.visible_to(viewer).active().exclude(pk=viewer.pk)
        template.queryset = SessionTemplate.objects.visible_to(viewer)
