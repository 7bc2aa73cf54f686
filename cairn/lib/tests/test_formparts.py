"""A lower app's form with a higher app's fields: added, validated, saved."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from cairn.lib import formparts
from cairn.lib.formparts import ExtensibleForm, FormPart, form_part


class ThingForm(ExtensibleForm):
    part_name = "tests.thing"
    text = forms.CharField()


class Stored:
    def __init__(self) -> None:
        self.saved: list[tuple[Any, Any, dict[str, Any]]] = []


store = Stored()


@pytest.fixture(autouse=True)
def _clean_registry() -> Any:
    yield
    formparts._registry.pop("tests.thing", None)


class Colour(FormPart):
    def fields(self, viewer: Any, **subject: Any) -> dict[str, forms.Field]:
        if subject.get("plain"):
            return {}
        return {"colour": forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")])}

    def initial(self, viewer: Any, instance: Any) -> dict[str, Any]:
        return {"colour": instance["colour"], "not_mine": "x"}

    def save(self, viewer: Any, instance: Any, data: dict[str, Any]) -> None:
        store.saved.append((viewer, instance, data))


def _register() -> None:
    form_part("tests.thing")(Colour)


def test_a_form_without_parts_is_a_plain_form() -> None:
    form = ThingForm({"text": "hello"}, viewer="ana")
    assert form.is_valid()
    assert form.part_fields == []


def test_a_part_adds_validates_and_saves_its_own_fields() -> None:
    _register()
    bad = ThingForm({"text": "hello", "colour": "green"}, viewer="ana")
    assert not bad.is_valid()
    assert "colour" in bad.errors
    good = ThingForm({"text": "hello", "colour": "red"}, viewer="ana")
    assert good.is_valid()
    assert [f.name for f in good.part_fields] == ["colour"]
    good.save_parts("the thing")  # type: ignore[arg-type]
    assert store.saved[-1] == ("ana", "the thing", {"colour": "red"})


def test_the_subject_decides_and_editing_starts_from_what_is_stored() -> None:
    _register()
    assert ThingForm(viewer="ana", subject={"plain": True}).part_fields == []
    editing = ThingForm(viewer="ana", instance={"colour": "blue"})  # type: ignore[arg-type]
    assert editing["colour"].value() == "blue"
    assert "not_mine" not in editing.initial


def test_registering_twice_registers_once_and_names_must_not_collide() -> None:
    _register()
    _register()
    assert len(formparts.parts_of("tests.thing")) == 1

    @form_part("tests.thing")
    class Clash(FormPart):
        def fields(self, viewer: Any, **subject: Any) -> dict[str, forms.Field]:
            return {"text": forms.CharField()}

    with pytest.raises(ValueError, match="adds 'text' twice"):
        ThingForm(viewer="ana")
