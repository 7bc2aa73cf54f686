"""``{% bell %}``: the bell in the navigation, with the unread count rendered on the
server (so it works without JavaScript); htmx asks ``notifications:bell`` for it
again every minute. ``base.html`` renders it on every page, so it costs a fixed,
small number of queries: the person (none where the view has found them already),
the newest unread notifications' subjects, and one per kind of subject among them."""

from __future__ import annotations

from typing import Any

from django import template

from cairn.notifications import policy
from cairn.people.models import Person

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def bell(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"bell": None}
    person = getattr(request, "person", None)
    if person is None:
        person = Person.objects.filter(user_id=user.pk).first()
    if person is None:  # an account that is no member of an organisation
        return {"bell": None}
    return {"bell": policy.bell_for(person)}
