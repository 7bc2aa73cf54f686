"""The forms of a group debrief; each maps its fields onto one service call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from cairn.coaching.forms import DATE_HELP, DATETIME_HELP, DateInput, DateTimeInput, plausible_year
from cairn.debriefs.models import (
    ACTION_MAX,
    NOTE_MAX,
    REFLECTION_MAX,
    TITLE_MAX,
    DebriefKind,
)
from cairn.lib.forms import OpaqueChoiceField
from cairn.mentoring.models import Program
from cairn.people.models import Person
from cairn.people.pickers import PersonPickerField, TeamPickerField


class DebriefForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        help_text="Shown to the people you invite and in their notifications.",
        error_messages={"required": "Give the debrief a title."},
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=[
            (DebriefKind.TEAM, DebriefKind.TEAM.label),
            (DebriefKind.ORGANISATION, DebriefKind.ORGANISATION.label),
        ],
        initial=DebriefKind.TEAM,
        widget=forms.RadioSelect,
    )
    opens_at = forms.DateTimeField(
        label="When it opens",
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[plausible_year],
        error_messages={"required": "Choose when the session opens.", "invalid": DATETIME_HELP},
    )
    program = OpaqueChoiceField[Program](
        Program.objects.none(),
        label="Program (for a program debrief)",
        required=False,
        empty_label="No program",
        error_messages={"invalid_choice": "Choose a program of your organisation."},
    )

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if viewer.is_program_admin:
            kind = cast(forms.ChoiceField, self.fields["kind"])
            kind.choices = [
                (DebriefKind.TEAM, DebriefKind.TEAM.label),
                (DebriefKind.ORGANISATION, DebriefKind.ORGANISATION.label),
                (DebriefKind.PROGRAM, DebriefKind.PROGRAM.label),
            ]
            cast(
                OpaqueChoiceField[Program], self.fields["program"]
            ).queryset = Program.objects.visible_to(viewer)
        else:
            del self.fields["program"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == DebriefKind.PROGRAM and not data.get("program"):
            self.add_error("program", "Choose the program whose cohort meets.")
        if data.get("kind") != DebriefKind.PROGRAM:
            data["program"] = None
        return data

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "opens_at": data["opens_at"],
            "program": data.get("program"),
        }


class TeamInviteForm(forms.Form):
    # The host's own teams, and any other by a search on the server (``team_q``),
    # never a list of every team of the organisation.
    team = TeamPickerField(
        label="Invite a team",
        empty_label="Choose a team",
        error_messages={
            "required": "Choose a team.",
            "invalid_choice": "Choose a team of your organisation.",
        },
    )

    def __init__(
        self, *args: Any, viewer: Person, search: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "team-%s")
        super().__init__(*args, **kwargs)
        cast(TeamPickerField, self.fields["team"]).configure(
            viewer=viewer, name="team", search=search
        )


class CohortInviteForm(forms.Form):
    program = OpaqueChoiceField[Program](
        Program.objects.none(),
        label="Invite a program's cohort",
        empty_label="Choose a program",
        error_messages={
            "required": "Choose a program.",
            "invalid_choice": "Choose a program of your organisation.",
        },
    )

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "cohort-%s")
        super().__init__(*args, **kwargs)
        cast(
            OpaqueChoiceField[Program], self.fields["program"]
        ).queryset = Program.objects.visible_to(viewer)


class PersonInviteForm(forms.Form):
    # The people the host works with, and anyone else of the organisation by a search
    # on the server (``person_q``), never the whole organisation.
    person = PersonPickerField(
        label="Invite a person",
        empty_label="Choose a person",
        error_messages={
            "required": "Choose the person to invite.",
            "invalid_choice": "Choose someone from your organisation.",
        },
    )

    def __init__(
        self, *args: Any, viewer: Person, search: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(PersonPickerField, self.fields["person"]).configure(
            viewer=viewer,
            allowed=Person.objects.visible_to(viewer).active().exclude(pk=viewer.pk),
            name="person",
            search=search,
        )


def _text(label: str, limit: int, *, required: bool, message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": message or f"Write {label.lower()}."},
    )


class ReflectionForm(forms.Form):
    happened = _text("What happened", REFLECTION_MAX, required=True)
    learned = _text("What we learned", REFLECTION_MAX, required=False)
    change = _text("What we change", REFLECTION_MAX, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reflection-%s")
        super().__init__(*args, **kwargs)


class ActionItemForm(forms.Form):
    description = _text("What", ACTION_MAX, required=True, message="Say what is to be done.")
    owner = OpaqueChoiceField[Person](
        Person.objects.none(),
        label="Who",
        empty_label="Choose someone of the group",
        error_messages={
            "required": "Choose who does it.",
            "invalid_choice": "Choose an owner from the group.",
        },
    )
    due_on = forms.DateField(
        label="By when",
        widget=DateInput(),
        validators=[plausible_year],
        error_messages={"required": "Give a date it is due by.", "invalid": DATE_HELP},
    )

    def __init__(self, *args: Any, group: QuerySet[Person], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "action-%s")
        super().__init__(*args, **kwargs)
        # The members whose account is active: a deactivated one does nothing more.
        owners = group.filter(user__is_active=True).order_by("name")
        cast(OpaqueChoiceField[Person], self.fields["owner"]).queryset = owners


class NoteForm(forms.Form):
    body = _text("Private note", NOTE_MAX, required=True, message="Write your note.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note-%s")
        super().__init__(*args, **kwargs)
