"""Forms for the org admin's pages: adding and editing people, adding teams.

Every choice of a team or a manager is limited to the admin's own organisation and
posted by its opaque code, so a code from anywhere else is simply not a choice.
The rules that hold whoever writes (loops in management, taken usernames) live in
``services.py``; the views put its ``ValidationError`` on these forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q, QuerySet

from cairn.lib.forms import OpaqueChoiceField
from cairn.people.models import (
    TIME_ZONE_MAX,
    Person,
    Team,
    User,
    time_zone_names,
    validate_time_zone,
)
from cairn.people.pickers import PersonPickerField

NAME_MAX = Person._meta.get_field("name").max_length
TITLE_MAX = Person._meta.get_field("title").max_length
TEAM_NAME_MAX = Team._meta.get_field("name").max_length
USERNAME_MAX = User._meta.get_field("username").max_length
EMAIL_MAX = User._meta.get_field("email").max_length

ADMIN_HELP = "Manages people, teams and reporting lines here. Sees no coaching content."


class PersonDetailsForm(forms.Form):
    """What an admin sets on anyone: the fields shared by adding and editing."""

    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX,
        error_messages={"required": "Enter the person's name."},
    )
    email = forms.EmailField(
        label="Email",
        max_length=EMAIL_MAX,
        error_messages={
            "required": "Enter an email address, for reminders.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
    title = forms.CharField(label="Job title", max_length=TITLE_MAX, required=False)
    team = OpaqueChoiceField[Team](
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
        error_messages={"invalid_choice": "Choose a team from your organisation."},
    )
    # The picker labels each person with their title, which tells apart two people
    # of the same name, and lists only a few: never the whole organisation.
    manager = PersonPickerField(
        label="Manager",
        required=False,
        empty_label="No manager",
        error_messages={
            "invalid_choice": "Choose a manager from the active people of your organisation."
        },
    )
    is_org_admin = forms.BooleanField(label="Org admin", required=False, help_text=ADMIN_HELP)
    is_program_admin = forms.BooleanField(
        label="Program admin",
        required=False,
        help_text=(
            "Runs mentoring programs and edits the question bank; reads mentoring "
            "requests. A second org admin confirms it."
        ),
    )
    is_hr = forms.BooleanField(
        label="HR",
        required=False,
        help_text=(
            "Runs performance review cycles; reads self-reviews. A second org admin confirms it."
        ),
    )

    def __init__(
        self,
        *args: Any,
        viewer: Person,
        search: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.search = search
        self.team_field.queryset = Team.objects.visible_to(viewer)
        self.allow_managers(Person.objects.visible_to(viewer).active())

    def allow_managers(self, people: QuerySet[Person]) -> None:
        self.manager_field.configure(
            viewer=self.viewer, allowed=people, name="manager", search=self.search
        )

    @property
    def team_field(self) -> OpaqueChoiceField[Team]:
        return cast(OpaqueChoiceField[Team], self.fields["team"])

    @property
    def manager_field(self) -> PersonPickerField:
        return cast(PersonPickerField, self.fields["manager"])


class AddPersonForm(PersonDetailsForm):
    field_order = [
        "username",
        "name",
        "email",
        "title",
        "team",
        "manager",
        "is_org_admin",
        "is_program_admin",
        "is_hr",
    ]

    username = forms.CharField(
        label="Username",
        max_length=USERNAME_MAX,
        validators=[UnicodeUsernameValidator()],
        help_text="What they log in with: letters, digits and @ . + - _ only.",
        error_messages={"required": "Choose a username for them to log in with."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.manager_field.help_text = "Setting a manager starts a manager one-on-one between them."


class EditPersonForm(PersonDetailsForm):
    is_active = forms.BooleanField(
        label="Active",
        required=False,
        help_text="Untick to deactivate: they can no longer log in; their history stays.",
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": person.name,
                "email": person.user.email,
                "title": person.title,
                "team": person.team,
                "manager": person.manager,
                "is_org_admin": person.is_org_admin,
                "is_program_admin": person.is_program_admin,
                "is_hr": person.is_hr,
                "is_active": person.user.is_active,
            },
        )
        super().__init__(*args, **kwargs)
        # Nobody manages themselves; a current manager who has since been
        # deactivated stays a choice, so saving other changes does not fail on it.
        self.allow_managers(
            Person.objects.visible_to(self.viewer)
            .filter(Q(user__is_active=True) | Q(pk=person.manager_id))
            .exclude(pk=person.pk)
        )
        self.manager_field.help_text = (
            "Changing the manager closes the one-on-one with the old manager "
            "and starts one with the new."
        )


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=TEAM_NAME_MAX,
        error_messages={"required": "Give the team a name."},
    )


class TimeZoneForm(forms.Form):
    """A person's own time zone: one of the IANA names, or blank for the
    organisation's."""

    time_zone = forms.CharField(
        label="Time zone",
        required=False,
        max_length=TIME_ZONE_MAX,
        help_text="Every date in Cairn, and in its emails, is shown in this zone.",
        error_messages={"max_length": "That is not a time zone we know."},
    )

    def __init__(self, *args: Any, organisation_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_zone = organisation_zone
        field = self.fields["time_zone"]
        field.widget = forms.Select(
            choices=[("", f"Your organisation's ({organisation_zone})")]
            + [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]
        )

    def clean_time_zone(self) -> str:
        name = str(self.cleaned_data["time_zone"]).strip()
        validate_time_zone(name)
        return name
