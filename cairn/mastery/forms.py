from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile

from cairn.coaching.models import Debrief, Engagement
from cairn.lib.formparts import FormPart, form_part
from cairn.lib.forms import OpaqueChoiceField
from cairn.mastery import policy, services
from cairn.mastery.frameworks import MAX_BYTES, too_big_message
from cairn.mastery.models import (
    Behaviour,
    Competency,
    Framework,
    FrameworkLevel,
    Level,
    Privilege,
    Stage,
    Track,
)
from cairn.people.models import Person
from cairn.people.pickers import PersonPickerField

EVIDENCE_HELP = (
    "What you saw, with examples: the person reads this, and it is why the level was given."
)


class PersonChoiceField(OpaqueChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class LevelChoiceField(OpaqueChoiceField[Level]):
    def label_from_instance(self, obj: Level) -> str:
        return f"{obj.ladder.name}: {obj.name}"


class GrantForm(forms.Form):
    # The people the granter works with, anyone else they may grant to by a search on
    # the server (``person_q``): an org admin may grant to the whole organisation,
    # which the form never lists.
    person = PersonPickerField(
        label="Person",
        empty_label="Choose the person",
        error_messages={
            "required": "Choose the person.",
            "invalid_choice": "Choose one of the people listed.",
        },
    )
    level = LevelChoiceField(
        queryset=Level.objects.none(),
        label="Level",
        error_messages={
            "required": "Choose the level.",
            "invalid_choice": "Choose one of the levels listed.",
        },
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4_000,
        help_text=EVIDENCE_HELP,
        error_messages={"required": "Say what you saw: evidence is required."},
    )

    def __init__(
        self,
        *args: Any,
        viewer: Person,
        search: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(PersonPickerField, self.fields["person"]).configure(
            viewer=viewer, allowed=policy.grantees(viewer), name="person", search=search
        )
        self.fields["level"].queryset = policy.all_grantable_levels(viewer)  # type: ignore[attr-defined]


class LadderForm(forms.Form):
    """A ladder and up to six levels, lowest first. A level row with no name is left
    out, so the form can offer more rows than most ladders need."""

    ROWS = 6

    name = forms.CharField(label="Ladder name", max_length=80)
    description = forms.CharField(label="What the ladder is for", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, self.ROWS + 1):
            self.fields[f"level_{i}_name"] = forms.CharField(
                label=f"Level {i}: name", max_length=80, required=False
            )
            self.fields[f"level_{i}_criteria"] = forms.CharField(
                label=f"Level {i}: what it takes",
                max_length=2_000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"level_{i}_privileges"] = forms.MultipleChoiceField(
                label=f"Level {i}: privileges",
                choices=Privilege.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def level_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"level_{i}_{part}"] for part in ("name", "criteria", "privileges")]
            for i in range(1, self.ROWS + 1)
        ]

    def levels(self) -> list[tuple[str, str, list[str]]]:
        rows = []
        for i in range(1, self.ROWS + 1):
            name = self.cleaned_data.get(f"level_{i}_name", "").strip()
            criteria = self.cleaned_data.get(f"level_{i}_criteria", "")
            privileges = self.cleaned_data.get(f"level_{i}_privileges", [])
            if name or criteria.strip() or privileges:
                rows.append((name, criteria, list(privileges)))
        return rows


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label="Framework file",
        help_text=(
            "YAML (.yaml, .yml), CSV (.csv; comma, semicolon or tab; UTF-8, UTF-16 or"
            " Windows-1252) or XLSX (.xlsx), at most 1 MB."
        ),
        error_messages={
            "required": "Choose a file to import.",
            "empty": "The file is empty.",
        },
    )
    name = forms.CharField(
        label="Name (optional)",
        max_length=120,
        required=False,
        help_text="For a CSV or XLSX file; a YAML file names itself. Default: the file's name.",
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        # The size Django recorded while receiving it: a huge file is refused here,
        # before anything reads it into memory.
        if upload.size is None or upload.size > MAX_BYTES:
            raise forms.ValidationError(too_big_message(upload.size or 0))
        return upload


class LevelOfTrackChoiceField(OpaqueChoiceField[FrameworkLevel]):
    def label_from_instance(self, obj: FrameworkLevel) -> str:
        return f"{obj.label} · {obj.name}" if obj.label else obj.name


class StageChoiceField(OpaqueChoiceField[Stage]):
    def label_from_instance(self, obj: Stage) -> str:
        return obj.name


NO_LEVEL_NOR_STAGE = "Choose the level shown, or a stage."
LEVEL_AND_STAGE = "Choose a level or a stage, not both."
RETIRED = "{name} is retired: it takes no new assessments. Its history stays."


class CompetencyAssessmentForm(forms.Form):
    """An assessment of one competency, beside it: the level of the chosen track the
    person showed or, where the competency (or its framework) has a stage scale, a
    stage of that scale — exactly one — with evidence."""

    track = forms.CharField(widget=forms.HiddenInput, required=False)
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        label="Who is assessed",
        empty_label=None,
        error_messages={"invalid_choice": "Choose yourself or someone you coach."},
    )
    level = LevelOfTrackChoiceField(
        queryset=FrameworkLevel.objects.none(),
        label="Level shown",
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": "Choose one of the levels of this track."},
    )
    stage = StageChoiceField(
        queryset=Stage.objects.none(),
        label="Stage",
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": "Choose one of the stages of this competency's scale."},
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4_000,
        help_text="Examples of the behaviours you saw. The person assessed reads this.",
        error_messages={"required": "Say what you saw: evidence is required."},
    )

    def __init__(
        self,
        *args: Any,
        viewer: Person,
        framework: Framework,
        competency: Competency,
        track: Track | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competency = competency
        people = Person.objects.filter(pk=viewer.pk) | policy.coachees(viewer)
        self.fields["person"].queryset = people.order_by("name")  # type: ignore[attr-defined]
        levels = FrameworkLevel.objects.none()
        if track is not None:
            levels = FrameworkLevel.objects.filter(track=track, retired_at__isnull=True)
        self.fields["level"].queryset = levels.order_by("rank")  # type: ignore[attr-defined]
        scale_id = competency.scale_id or framework.scale_id
        if scale_id is None:
            del self.fields["stage"]
        else:
            self.fields["stage"].queryset = Stage.objects.filter(  # type: ignore[attr-defined]
                scale_id=scale_id
            ).order_by("rank")
        # The id of every field carries the competency's key: several of these forms
        # may be open in the grid at once.
        self.auto_id = f"id_{competency.key}_%s"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.competency.retired_at is not None:
            raise forms.ValidationError(RETIRED.format(name=self.competency.name))
        level, stage = data.get("level"), data.get("stage")
        if "level" in self.errors or "stage" in self.errors:
            return data
        if level is None and stage is None:
            raise forms.ValidationError(NO_LEVEL_NOR_STAGE)
        if level is not None and stage is not None:
            raise forms.ValidationError(LEVEL_AND_STAGE)
        return data


class ShareForm(forms.Form):
    """The share picker's choice: a person's code, from the results of a name search
    (``policy.share_candidates``) — never a list of the whole organisation. The
    service decides whether the code names someone one may share with."""

    person = forms.CharField(
        label="Person",
        max_length=64,
        widget=forms.HiddenInput,
        error_messages={"required": "Search for the person by name, then choose them."},
    )


# --- competencies in coaching ------------------------------------------------------------


class EngagementCompetencyForm(forms.Form):
    """Name one more competency for a competency-coaching engagement: a select of
    the organisation's competencies (of one framework, when it has many), grouped by
    framework and track, by their codes."""

    competency = forms.ChoiceField(
        label="Add a competency",
        error_messages={
            "required": "Choose a competency to add.",
            "invalid_choice": "Choose one of the competencies listed.",
        },
    )

    def __init__(
        self, *args: Any, engagement: Engagement, framework: Framework | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        self._competencies = {
            str(c.code): c for c in policy.competency_choices(engagement, framework)
        }
        groups: dict[str, list[tuple[str, str]]] = {}
        for code, competency in self._competencies.items():
            groups.setdefault(competency.framework.name, []).append((code, competency.name))
        choices: list[Any] = [("", "Choose a competency")]
        choices.extend(groups.items())
        self.fields["competency"].choices = choices  # type: ignore[attr-defined]

    @property
    def has_choices(self) -> bool:
        return bool(self._competencies)

    def clean_competency(self) -> Competency:
        return self._competencies[self.cleaned_data["competency"]]


def behaviour_key(behaviour: Behaviour) -> str:
    """A behaviour's identifier in a posted form: its competency's and level's codes
    and its position (unique together), never its sequential id."""
    return f"{behaviour.competency.code}:{behaviour.level.code}:{behaviour.position}"


class BehaviourCheckboxes(forms.CheckboxSelectMultiple):
    """One fieldset per competency, its behaviours by level."""

    template_name = "mastery/widgets/behaviours.html"


class BehavioursField(forms.MultipleChoiceField):
    widget = BehaviourCheckboxes

    def __init__(self, behaviours: list[Behaviour], **kwargs: Any) -> None:
        self._behaviours = {behaviour_key(b): b for b in behaviours}
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, b in self._behaviours.items():
            groups.setdefault(b.competency.name, []).append((key, f"{b.level.name}: {b.text}"))
        super().__init__(choices=list(groups.items()), **kwargs)

    def clean(self, value: Any) -> list[Behaviour]:
        keys = super().clean(value)
        return [self._behaviours[key] for key in keys]


DEBRIEF_FIELD = "mastery_behaviours_changed"


@form_part("coaching.debrief")
class BehavioursThatChanged(FormPart):
    """A competency-coaching debrief asks which behaviours of the competencies the
    engagement worked on changed; mastery keeps the answer
    (``DebriefBehaviourChange``). Other kinds of engagement: no field."""

    def fields(self, viewer: Any, **subject: Any) -> dict[str, forms.Field]:
        engagement = subject.get("engagement")
        if engagement is None or not policy.can_see_engagement_competencies(viewer, engagement):
            return {}
        behaviours = list(policy.engagement_behaviours(viewer, engagement))
        if not behaviours:
            return {}
        return {
            DEBRIEF_FIELD: BehavioursField(
                behaviours,
                label="Which behaviours changed?",
                required=False,
                help_text="Tick what you now see done differently. The two of you read it "
                "with your debrief.",
                error_messages={
                    "invalid_choice": "Choose among the behaviours of the competencies "
                    "you worked on."
                },
            )
        }

    def save(self, viewer: Any, instance: Any, data: dict[str, Any]) -> None:
        if not isinstance(instance, Debrief):
            raise TypeError(f"{type(self).__name__} saves with a Debrief")
        services.record_behaviour_changes(viewer, instance, data.get(DEBRIEF_FIELD) or [])
