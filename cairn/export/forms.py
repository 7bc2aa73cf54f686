from __future__ import annotations

from django import forms

from cairn.export.services import MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Export file (.json)",
        help_text=f"The JSON file another Cairn exported for you, at most {MAX_BYTES // 2**20} MB.",
        # The limit is checked by the service before the file is read whole.
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        error_messages={"required": "Choose the .json file you exported."},
    )
