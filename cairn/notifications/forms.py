from __future__ import annotations

from typing import Any

from django import forms

from cairn.notifications.models import Channel, Kind

CHOOSE = "Choose in Cairn only, email at once, daily digest or off."
# What a browser posts besides the choices.
EXPECTED = {"csrfmiddlewaretoken"}


class ChannelsForm(forms.Form):
    """One choice of channel per kind of notification, each field named by its kind.
    A posted name that is no kind is refused, not ignored: someone meant to choose
    something and it would not be saved."""

    def __init__(self, *args: Any, channels: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=channels[kind.value],
                widget=forms.RadioSelect,
                error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unknown = sorted(set(self.data) - set(self.fields) - EXPECTED)
        if unknown:
            raise forms.ValidationError(
                "There is no kind of notification called %(names)s; nothing was saved.",
                params={"names": ", ".join(unknown)},
            )
        return cleaned

    def channels(self) -> dict[str, str]:
        """The choices as ``services.set_channels`` takes them."""
        return {kind: self.cleaned_data[kind] for kind in Kind.values}
