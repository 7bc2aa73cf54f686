"""``{% panels "slot" subject=… %}``: render the panels other apps registered for a
slot of this page (see ``cairn.lib.panels``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from cairn.lib.panels import render_slot

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, **subject: Any) -> SafeString:
    # A RequestContext knows its request whatever the context processors are.
    return render_slot(slot, context.request, **subject)  # type: ignore[attr-defined]
