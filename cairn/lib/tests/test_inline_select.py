"""``InlineSelect`` writes exactly the HTML of Django's select, options and all."""

from __future__ import annotations

from django import forms

from cairn.lib.forms import InlineSelect

CHOICES = [
    ("", "None"),
    ("a", "Alpha & <Omega>"),
    ("Group “one”", [("b", "Beta"), ("c", "Gamma")]),
    ("d", 'Delta "quoted"'),
]


def render(widget: forms.Select, value: object) -> str:
    return widget.render("pick", value, attrs={"id": "id_pick", "aria-describedby": "help"})


def test_inline_select_renders_django_selects_html() -> None:
    for value in ("", "a", "c", None, "nothing"):
        plain = forms.Select(choices=CHOICES, attrs={"required": True, "class": "x"})
        inline = InlineSelect(choices=CHOICES, attrs={"required": True, "class": "x"})
        assert render(inline, value) == render(plain, value)
    assert "selected" in render(InlineSelect(choices=CHOICES), "c")
    assert "Alpha &amp; &lt;Omega&gt;" in render(InlineSelect(choices=CHOICES), "")
    assert '<optgroup label="Group “one”">' in render(InlineSelect(choices=CHOICES), "")
