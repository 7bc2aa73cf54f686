from __future__ import annotations

from django import forms

from cairn.tags.models import TAG_MAX


class TagForm(forms.Form):
    name = forms.CharField(
        label="New tag",
        max_length=TAG_MAX,
        error_messages={
            "required": "Write the tag.",
            "max_length": f"Keep a tag to {TAG_MAX} characters.",
        },
    )
