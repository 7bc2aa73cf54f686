"""Growth's parts of other apps' forms (see ``cairn.lib.formparts``).

Coaching's action-item form gets "Towards objective": one of the receiver's open
objectives that both parties can read (``policy.objectives_for_items``), or none.
Growth keeps the answer (``ObjectiveActionItem``), through ``services``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model

from cairn.coaching.models import ActionItem, Engagement
from cairn.growth import policy, services
from cairn.growth.models import Objective, ObjectiveActionItem
from cairn.lib.formparts import FormPart, form_part
from cairn.lib.forms import InlineSelect, OpaqueChoiceField

OBJECTIVE_FIELD = "towards_objective"
OBJECTIVE_CHOICE_ERROR = "Choose one of the objectives you can both read, or none."


class ObjectiveSelect(InlineSelect):
    """A select that counts as hidden while it offers nothing but "none", so the
    form leaves it out (``actions/_form.html``) rather than show an empty choice. It
    asks its (lazy) choices only when the form is rendered."""

    @property
    def is_hidden(self) -> bool:
        return not any(value for value, _ in self.choices)


@form_part("coaching.action_item")
class TowardsObjective(FormPart):
    """Which of the receiver's objectives a session's action item works towards."""

    def fields(self, viewer: Any, **subject: Any) -> dict[str, forms.Field]:
        engagement: Engagement = subject["engagement"]
        field: OpaqueChoiceField[Objective] = OpaqueChoiceField(
            queryset=policy.objectives_for_items(viewer, engagement),
            label="Towards objective",
            required=False,
            empty_label="None",
            widget=ObjectiveSelect,
            help_text=f"One of {engagement.receiver.first_name}’s objectives you can both read.",
            error_messages={"invalid_choice": OBJECTIVE_CHOICE_ERROR},
        )
        field.label_from_instance = lambda obj: obj.what  # type: ignore[method-assign]
        return {OBJECTIVE_FIELD: field}

    def initial(self, viewer: Any, instance: Model) -> dict[str, Any]:
        code = (
            ObjectiveActionItem.objects.visible_to(viewer)
            .filter(action_item_id=instance.pk)
            .values_list("objective__code", flat=True)
            .first()
        )
        return {OBJECTIVE_FIELD: code} if code else {}

    def save(self, viewer: Any, instance: Model, data: dict[str, Any]) -> None:
        if not isinstance(instance, ActionItem):
            raise TypeError("TowardsObjective saves an ActionItem's objective only.")
        services.set_item_objective(viewer, instance, data.get(OBJECTIVE_FIELD))
