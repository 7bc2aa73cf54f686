from __future__ import annotations

from django import forms

from cairn.trust.models import Kind


class KindFilterForm(forms.Form):
    """The access log's one filter: which kind of thing was read."""

    kind = forms.ChoiceField(
        label="Kind of thing",
        required=False,
        choices=[("", "Every kind"), *Kind.choices],
        error_messages={
            "invalid_choice": "There is no such kind of thing: choose one from the list. "
            "Every kind is shown meanwhile."
        },
    )
