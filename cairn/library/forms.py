from __future__ import annotations

from typing import Any, cast

from django import forms

from cairn.library.builtin import FRAMEWORKS
from cairn.library.models import (
    MAX_TAGS,
    PART_MAX,
    REVIEW_PART_MAX,
    TITLE_MAX,
    Framework,
    ReviewDecision,
)
from cairn.people.models import Person
from cairn.tags.models import Tag

MARKDOWN_HELP = "Markdown works: **bold**, *italic*, lists, links and > quotes."


class TagChoiceField(forms.ModelMultipleChoiceField[Tag]):
    """Tags posted by slug, never by id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Tag.objects.none(),
            to_field_name="slug",
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": "Choose tags from the list.",
                "invalid_pk_value": "Choose tags from the list.",
                "list": "Choose tags from the list.",
                "required": "Choose at least one tag, so that others find the story.",
            },
            **kwargs,
        )


def _part(label: str, required: str, help_text: str = MARKDOWN_HELP) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=PART_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=help_text,
        error_messages={
            "required": required,
            "max_length": f"Keep this part under {PART_MAX:,} characters.",
        },
    )


class StoryForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        error_messages={
            "required": "Give the story a title.",
            "max_length": f"Keep the title under {TITLE_MAX} characters.",
        },
    )
    problem = _part("The problem", "Describe the problem you faced.")
    actions = _part("Actions taken", "Say what you did about it.")
    lessons = _part("Lessons learned", "Say what you learned — it is what others come for.")
    tags = TagChoiceField(label="Tags", help_text=f"One to {MAX_TAGS}.")

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(TagChoiceField, self.fields["tags"])
        field.queryset = Tag.objects.visible_to(viewer)

    def clean_tags(self) -> Any:
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"Choose at most {MAX_TAGS} tags.")
        return tags


class ReviewForm(forms.Form):
    strengths = forms.CharField(
        label="What is good in it",
        max_length=REVIEW_PART_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Start with what works: what will readers take away?",
        error_messages={"required": "Start with what is good in the story."},
    )
    questions = forms.CharField(
        label="Your questions",
        max_length=REVIEW_PART_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What would you like the author to say more about?",
    )
    comments = forms.CharField(
        label="Comments for the author",
        max_length=REVIEW_PART_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you return the story: what should change?",
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to publish the story or return it.",
            "invalid_choice": "Choose whether to publish the story or return it.",
        },
    )


def stage_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (name, [(f"{framework}:{slug}", label) for slug, label in stages])
        for framework, (name, stages) in FRAMEWORKS.items()
    ]


class QuestionForm(forms.Form):
    stage = forms.ChoiceField(
        label="Framework and stage",
        choices=stage_choices,
        error_messages={
            "required": "Choose the framework and stage.",
            "invalid_choice": "Choose one of the stages listed.",
        },
    )
    text = forms.CharField(
        label="Question",
        max_length=300,
        error_messages={
            "required": "Write the question.",
            "max_length": "Keep a question under 300 characters.",
        },
    )

    def framework_and_stage(self) -> tuple[str, str]:
        framework, _, stage = self.cleaned_data["stage"].partition(":")
        return Framework(framework), stage


class SearchForm(forms.Form):
    q = forms.CharField(label="Search stories", required=False, max_length=200)
