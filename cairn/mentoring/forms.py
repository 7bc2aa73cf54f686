from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.urls import reverse

from cairn.lib.forms import OpaqueChoiceField, within_years
from cairn.lib.versions import VersionedForm
from cairn.mentoring.models import (
    CAPACITY_MAX,
    CAPACITY_MIN,
    LANGUAGES_MAX,
    TEXT_MAX,
    UTC_OFFSET_MAX,
    UTC_OFFSET_MIN,
    WEIGHT_FIELDS,
    Enrolment,
    Objective,
    ProfileStatus,
    Program,
    ProgramKind,
    Role,
)
from cairn.mentoring.services import SETTINGS_FIELDS, WEIGHT_LABELS
from cairn.people.models import Person
from cairn.people.pickers import PeoplePickerField, PersonPickerField
from cairn.tags.models import Tag


class MentorChoiceField(OpaqueChoiceField[Enrolment]):
    """A mentor enrolled in a program, named by the person."""

    def label_from_instance(self, obj: Enrolment) -> str:
        return obj.person.name


class TagChoiceField(forms.ModelMultipleChoiceField[Tag]):
    def __init__(self, viewer: Person, **kwargs: Any) -> None:
        super().__init__(
            Tag.objects.visible_to(viewer),
            to_field_name="slug",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


def _capacity_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=CAPACITY_MIN,
        max_value=CAPACITY_MAX,
        initial=2,
        error_messages={
            "min_value": f"Capacity is from {CAPACITY_MIN} to {CAPACITY_MAX} mentees.",
            "max_value": f"Capacity is from {CAPACITY_MIN} to {CAPACITY_MAX} mentees.",
            "required": "Say how many mentees you can take at once.",
        },
    )


def _offset_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="UTC offset (hours)",
        min_value=UTC_OFFSET_MIN,
        max_value=UTC_OFFSET_MAX,
        required=False,
        help_text="Where you work from, e.g. 0 for London in winter, 1 for Warsaw.",
    )


class ProfileForm(forms.Form):
    helps_with = forms.CharField(
        label="What you can help with",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you can help with."},
    )
    capacity = _capacity_field("How many mentees at once")
    availability = forms.CharField(
        label="Availability", max_length=200, required=False, help_text="e.g. Tuesday afternoons"
    )
    languages = forms.CharField(
        label="Languages",
        max_length=LANGUAGES_MAX,
        required=False,
        help_text="Separate with commas.",
    )
    utc_offset = _offset_field()
    years_experience = forms.IntegerField(label="Years of experience", min_value=0, max_value=60)
    outside_team = forms.BooleanField(label="I mentor people outside my own team", required=False)
    status = forms.ChoiceField(label="Status", choices=ProfileStatus.choices)

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expertise"] = TagChoiceField(viewer, label="Expertise")
        self.fields["goal_tags"] = TagChoiceField(viewer, label="Goals you help with")


class DirectoryForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    open = forms.BooleanField(label="Open capacity only", required=False)

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"] = forms.ModelChoiceField(
            Tag.objects.visible_to(viewer),
            to_field_name="slug",
            required=False,
            label="Expertise",
            empty_label="Any expertise",
        )


class RequestForm(forms.Form):
    challenge = forms.CharField(
        label="Your challenge",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Seen by the mentor you ask and by program admins, never by your manager.",
        error_messages={"required": "Describe the challenge you would like help with."},
    )
    goals = forms.CharField(
        label="What you would like to achieve",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what you would like to achieve."},
    )


class AnswerRequestForm(forms.Form):
    ACCEPT = "accept"
    DECLINE = "decline"
    decision = forms.ChoiceField(
        label="Your answer",
        choices=[(ACCEPT, "Accept"), (DECLINE, "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose to accept or decline."},
    )
    message = forms.CharField(
        label="A message for them",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProgramForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    purpose = forms.CharField(
        label="Purpose", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label="Kind", choices=ProgramKind.choices, widget=forms.RadioSelect)
    starts_on = forms.DateField(
        label="Starts on", widget=forms.DateInput(attrs={"type": "date"}), validators=[within_years]
    )
    ends_on = forms.DateField(
        label="Ends on", widget=forms.DateInput(attrs={"type": "date"}), validators=[within_years]
    )
    enrolment_opens = forms.DateField(
        label="Enrolment opens",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[within_years],
    )
    enrolment_closes = forms.DateField(
        label="Enrolment closes",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[within_years],
    )
    objective = forms.ChoiceField(
        label="Matching aims for", choices=Objective.choices, widget=forms.RadioSelect
    )
    min_score = forms.FloatField(
        label="Minimum score",
        initial=0,
        help_text="Pairs scoring less are not proposed.",
        error_messages={"invalid": "The minimum score must be a number."},
    )
    allow_repeats = forms.BooleanField(
        label="Allow pairs who have had a mentoring engagement before", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = Program()
        for name in WEIGHT_FIELDS:
            # Text, not a number input: the service checks and explains every value,
            # so a weight like "lots" gets the same clear message with or without
            # the browser's own checks.
            self.fields[name] = forms.CharField(
                label=f"Weight: {WEIGHT_LABELS[name].lower()}",
                initial=getattr(blank, name),
                max_length=20,
            )


class ProgramSettingsForm(VersionedForm, ProgramForm):
    """A program's settings after it is created: the creation form without its kind
    (matches are made for it), and the version the form was opened at (hidden)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        for name in ("starts_on", "ends_on", "enrolment_opens", "enrolment_closes"):
            # A date input shows only an ISO date: the saved dates must come in as one.
            self.fields[name].widget.format = "%Y-%m-%d"

    @classmethod
    def initial_for(cls, program: Program) -> dict[str, Any]:
        initial = {name: getattr(program, name) for name in SETTINGS_FIELDS}
        return {**initial, "version": program.version}


class EnrolForm(forms.Form):
    role = forms.ChoiceField(label="I take part as", choices=Role.choices, widget=forms.RadioSelect)
    capacity = _capacity_field("Mentees I can take in this program (mentors)")
    goals = forms.CharField(
        label="Your goals for the program",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    years_experience = forms.IntegerField(label="Years of experience", min_value=0, max_value=60)
    languages = forms.CharField(
        label="Languages",
        max_length=LANGUAGES_MAX,
        required=False,
        help_text="Separate with commas.",
    )
    utc_offset = _offset_field()
    outside_team = forms.BooleanField(
        label="Mentors: I mentor people outside my own team", required=False, initial=True
    )
    gender = forms.CharField(
        label="Your gender (optional)",
        max_length=60,
        required=False,
        help_text="Seen only by the program's admins, never by the other participant.",
    )
    same_gender = forms.BooleanField(
        label="I would prefer a mentor of the same gender",
        required=False,
        help_text="Seen only by the program's admins; matching honours it.",
    )
    forget_sensitive = forms.BooleanField(
        label="Forget my earlier answers to these two questions",
        required=False,
        help_text="They are not shown again, even to you; empty answers keep the earlier ones.",
    )

    def __init__(
        self,
        *args: Any,
        viewer: Person,
        program: Program,
        search: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tags"] = TagChoiceField(
            viewer, label="Skills you offer (mentors) or seek (mentees)"
        )
        self.fields["goal_tags"] = TagChoiceField(viewer, label="Goals you help with or have")
        # People pickers, searched on the server: never a list of every mentor of
        # the program, nor of the organisation.
        self.program = program
        mentors = Person.objects.filter(
            pk__in=Enrolment.objects.filter(program=program, role=Role.MENTOR)
            .exclude(person=viewer)
            .values("person_id")
        )
        for rank in (1, 2, 3):
            field = PersonPickerField(
                required=False,
                label=f"Mentees: mentor you would like, choice {rank}",
                empty_label="No choice",
                error_messages={"invalid_choice": "Choose a mentor enrolled in this program."},
            )
            self.fields[f"choice_{rank}"] = field
            field.configure(
                viewer=viewer,
                allowed=mentors,
                name=f"choice_{rank}",
                search=search,
                search_url=reverse("mentoring:program-mentors", args=[program.slug]),
            )
        not_with = PeoplePickerField(
            label="Not with (never paired with these people)",
            help_text="Seen only by you and the program's admins.",
        )
        self.fields["not_with"] = not_with
        not_with.configure(
            viewer=viewer,
            allowed=Person.objects.visible_to(viewer).exclude(pk=viewer.pk),
            name="not_with",
            search=search,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.MENTEE and "capacity" in self.errors:
            # Mentees have no capacity: an empty or odd value there is not theirs.
            del self.errors["capacity"]
            data["capacity"] = 1
        return data

    def shortlist(self) -> list[Enrolment]:
        """The chosen mentors' enrolments in the program, in the order chosen (one
        query)."""
        people = [self.cleaned_data.get(f"choice_{rank}") for rank in (1, 2, 3)]
        wanted = [p.pk for p in people if p is not None]
        by_person = {
            e.person_id: e
            for e in Enrolment.objects.filter(
                program=self.program, role=Role.MENTOR, person_id__in=wanted
            )
        }
        return [by_person[pk] for pk in wanted if pk in by_person]


class MoveForm(forms.Form):
    """Another mentor for a proposed pair: chosen through the people picker, allowed
    among the program's mentors only, searched on the server among them (the
    proposal's own endpoint, never the organisation)."""

    mentor = PersonPickerField(
        label="New mentor",
        empty_label="Choose a mentor",
        error_messages={
            "required": "Choose a mentor.",
            "invalid_choice": "Choose a mentor enrolled in this program.",
        },
    )

    def __init__(
        self,
        *args: Any,
        viewer: Person,
        program: Program,
        search: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        mentors = Enrolment.objects.filter(program=program, role=Role.MENTOR)
        cast(PersonPickerField, self.fields["mentor"]).configure(
            viewer=viewer,
            allowed=Person.objects.filter(pk__in=mentors.values("person_id")),
            name="mentor",
            search=search,
            search_url=reverse("mentoring:proposal-mentors", args=[program.slug]),
        )

    def enrolment(self) -> Enrolment:
        """The chosen person's mentor enrolment in the program."""
        return Enrolment.objects.select_related("person").get(
            program=self.program, role=Role.MENTOR, person=self.cleaned_data["mentor"]
        )


PROPOSAL_FILTERS = [
    ("", "All pairs"),
    ("pinned", "Pinned"),
    ("low", "Below the mean score"),
    ("unmatched", "Unmatched people"),
]


class ProposalFilterForm(forms.Form):
    """What the proposal page shows: all pairs, the pinned ones, those below the
    mean score (lowest first), or the people left unmatched."""

    show = forms.ChoiceField(
        label="Show",
        choices=PROPOSAL_FILTERS,
        required=False,
        error_messages={"invalid_choice": "Choose one of the filters in the list."},
    )
