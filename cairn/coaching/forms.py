from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any, cast

from django import forms
from django.forms.models import ModelChoiceIterator

from cairn.coaching.agreements import (
    COUNSELING_SPONSOR_REFUSAL,
    COUNSELING_SPONSOR_WORDS,
    AgreementTerms,
)
from cairn.coaching.models import (
    CONFIDENTIALITY_MAX,
    DEBRIEF_TEXT_MAX,
    ENDS_AFTER_SESSIONS_MAX,
    PURPOSE_MAX,
    REASON_MAX,
    Cadence,
    Direction,
    Ending,
    Engagement,
    EngagementKind,
    Feeling,
    NoteVisibility,
    SessionTemplate,
    SponsorSees,
)
from cairn.lib.formparts import ExtensibleForm
from cairn.lib.forms import OpaqueChoiceField
from cairn.lib.versions import VersionedForm
from cairn.people.models import Person
from cairn.people.pickers import PersonPickerField

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


class _RowsIterator(ModelChoiceIterator):
    """A model choice field's choices from rows already loaded (in the order its
    queryset would give them), rather than a query each time they are read."""

    def __init__(self, field: forms.ModelChoiceField[Any], rows: list[Any]) -> None:
        super().__init__(field)
        self.rows = rows

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.rows:
            yield self.choice(row)

    def __len__(self) -> int:
        return len(self.rows) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.rows)


class ActionItemForm(ExtensibleForm):
    """Who does what by when. Other apps add fields through ``cairn.lib.formparts``
    (form ``coaching.action_item``, subject ``engagement``)."""

    part_name = "coaching.action_item"

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
        super().__init__(*args, viewer=viewer, subject={"engagement": engagement}, **kwargs)
        field = cast(OpaqueChoiceField[Person], self.fields["owner"])
        if Engagement.giver.is_cached(engagement) and Engagement.receiver.is_cached(engagement):
            # The two parties are loaded already: the choices are them, with no query
            # (a select asks its choices twice as it renders; validation still asks
            # the queryset below).
            parties = sorted((engagement.giver, engagement.receiver), key=lambda p: (p.name, p.pk))
            field.iterator = partial(_RowsIterator, rows=parties)  # type: ignore[assignment]
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


def reason_field(label: str = "Reason (optional)") -> forms.CharField:
    """An optional reason for a change, which only the other party reads: never in
    an email, a calendar or a notification."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only the two of you read it.",
        error_messages={"max_length": f"Keep the reason to {REASON_MAX} characters."},
    )


class ReasonForm(forms.Form):
    """Cancel or skip a session, or decline a proposal, with an optional reason.
    Each page names its ids (``auto_id``): a page may hold two such forms."""

    reason = reason_field()


class MoveSessionForm(forms.Form):
    """Move a session to another time (``services.reschedule_session``)."""

    scheduled_for = forms.DateTimeField(
        label="New time",
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[plausible_year],
        error_messages={"required": "Choose the new time.", "invalid": DATETIME_HELP},
    )
    reason = reason_field()


class ProposeEngagementForm(forms.Form):
    ROLE_GIVER = "giver"
    ROLE_RECEIVER = "receiver"

    other = PersonPickerField(
        label="With",
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

    def __init__(
        self,
        *args: Any,
        viewer: Person,
        search: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        other = cast(PersonPickerField, self.fields["other"])
        template = cast(OpaqueChoiceField[SessionTemplate], self.fields["template"])
        # Any active person of the organisation; the select lists only those the
        # viewer works with, and a search (``other_q``) adds the matches.
        other.configure(
            viewer=viewer,
            allowed=Person.objects.visible_to(viewer).active().exclude(pk=viewer.pk),
            name="other",
            search=search,
        )
        template.queryset = SessionTemplate.objects.visible_to(viewer)


SESSIONS_HELP = f"Say after how many sessions it ends, from 1 to {ENDS_AFTER_SESSIONS_MAX}."


class AgreementForm(VersionedForm):
    """The terms of an agreement version, filled in from the one they amend, and
    (hidden) the number of the version they amend: 0 before the first."""

    purpose = forms.CharField(
        label="Purpose",
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say what the engagement is for.",
            "max_length": f"Keep the purpose to {PURPOSE_MAX} characters.",
        },
    )
    cadence = forms.ChoiceField(
        label="How often you meet",
        choices=Cadence.choices,
        error_messages={
            "required": "Choose how often you will meet.",
            "invalid_choice": "Choose how often you will meet.",
        },
    )
    confidentiality = forms.CharField(
        label="Confidentiality",
        max_length=CONFIDENTIALITY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What stays between the two of you.",
        error_messages={
            "required": "Say what stays between you.",
            "max_length": f"Keep this to {CONFIDENTIALITY_MAX} characters.",
        },
    )
    advice = forms.BooleanField(label="Advice is welcome, not only questions", required=False)
    sponsor_sees = forms.ChoiceField(
        label="What the receiver's managers may see",
        choices=SponsorSees.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what a sponsor may see.",
            "invalid_choice": "Choose one of the options listed.",
        },
    )
    ending = forms.ChoiceField(
        label="How it ends",
        choices=Ending.choices,
        widget=forms.RadioSelect,
        help_text="Whichever way, you both write a debrief when it closes.",
        error_messages={
            "required": "Choose how the engagement ends.",
            "invalid_choice": "Choose how the engagement ends.",
        },
    )
    ends_after_sessions = forms.IntegerField(
        label="Number of sessions",
        required=False,
        min_value=1,
        max_value=ENDS_AFTER_SESSIONS_MAX,
        error_messages={
            "invalid": "Enter a whole number of sessions.",
            "min_value": SESSIONS_HELP,
            "max_value": SESSIONS_HELP,
        },
    )
    ends_on = forms.DateField(
        label="End date",
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        validators=[plausible_year],
        error_messages={"invalid": DATE_HELP},
    )

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if engagement.kind == EngagementKind.COUNSELING:
            # Counseling's very existence is hidden from managers: nothing to grant,
            # and a forged post asking for more is told why.
            sponsor = cast(forms.ChoiceField, self.fields["sponsor_sees"])
            sponsor.choices = [(SponsorSees.NOTHING, COUNSELING_SPONSOR_WORDS)]
            sponsor.help_text = COUNSELING_SPONSOR_REFUSAL
            sponsor.error_messages["invalid_choice"] = COUNSELING_SPONSOR_REFUSAL

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ending = data.get("ending")
        # A field that failed its own checks has said what is wrong already.
        if (
            ending == Ending.AFTER_SESSIONS
            and data.get("ends_after_sessions") is None
            and "ends_after_sessions" not in self.errors
        ):
            self.add_error("ends_after_sessions", SESSIONS_HELP)
        if (
            ending == Ending.ON_DATE
            and data.get("ends_on") is None
            and "ends_on" not in self.errors
        ):
            self.add_error("ends_on", "Say on which date it ends.")
        return data

    def terms(self) -> AgreementTerms:
        data = self.cleaned_data
        return AgreementTerms(
            purpose=data["purpose"],
            cadence=data["cadence"],
            confidentiality=data["confidentiality"],
            advice=data["advice"],
            sponsor_sees=data["sponsor_sees"],
            ending=data["ending"],
            ends_after_sessions=data.get("ends_after_sessions"),
            ends_on=data.get("ends_on"),
        )

    @staticmethod
    def initial_from(terms: AgreementTerms) -> dict[str, Any]:
        return {
            "purpose": terms.purpose,
            "cadence": terms.cadence,
            "confidentiality": terms.confidentiality,
            "advice": terms.advice,
            "sponsor_sees": terms.sponsor_sees,
            "ending": terms.ending,
            "ends_after_sessions": terms.ends_after_sessions,
            "ends_on": terms.ends_on,
        }


class DebriefForm(ExtensibleForm):
    """What one party takes away. Other apps add fields through
    ``cairn.lib.formparts`` (form ``coaching.debrief``, subject ``engagement``)."""

    part_name = "coaching.debrief"

    learnings = forms.CharField(
        label="Your greatest learnings",
        max_length=DEBRIEF_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write what you learned most.",
            "max_length": f"Keep this to {DEBRIEF_TEXT_MAX} characters.",
        },
    )
    distinctions = forms.CharField(
        label="Distinctions: what you now tell apart that you did not before",
        max_length=DEBRIEF_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep this to {DEBRIEF_TEXT_MAX} characters."},
    )
    felt = forms.ChoiceField(
        label="How did it feel?",
        choices=Feeling.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how it felt.",
            "invalid_choice": "Choose how it felt.",
        },
    )
    next_steps = forms.CharField(
        label="What happens next",
        max_length=DEBRIEF_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": f"Keep this to {DEBRIEF_TEXT_MAX} characters."},
    )

    def __init__(self, *args: Any, engagement: Engagement, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, viewer=viewer, subject={"engagement": engagement}, **kwargs)
