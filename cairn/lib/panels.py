"""Pages composed from other apps' panels: the one-way door between apps.

A page owned by a lower app (the coaching session page, a person's page) names
*slots*; a higher app that has something to show there (growth's objectives, the
library's questions and stories) registers a *panel* for the slot from its own
``panels.py``, imported by its ``AppConfig.ready``. The page renders the slot with
``{% load panels %}{% panels "session.main" session=session %}``; it never imports
the apps that fill it, and a panel is one file in the app that owns it.

A panel is a context function and a template. The function is called with the
request and those of the slot's keyword arguments it names (the subject: a session,
a person; a slot may also hand over what its page has read already, for a panel
that needs it, and the others never see it); it returns the template's context, or
``None`` to show nothing. It is where the
owning app applies its own policy, so a panel shows only what the viewer may see.
Querysets it returns stay lazy: a slot costs only the queries its panels run.

Slots in use (keep this list current):

==================== ================== ======================================
slot                 subject (kwargs)   filled by
==================== ================== ======================================
``session.section``  session, section   growth: the receiver's mission statement
                                        and dreams (the ``dreams`` section);
                                        library: more questions for it
``session.template`` session            library: suggested questions, stories
``session.main``     session,           growth: objectives to review, and the
                     action_items (the  action items towards an objective;
                     page's list)       mastery: competencies, behaviours,
                                        shared latest assessments
``session.notes``    session            library: the ask-don't-tell reminder
``person.main``      person             coaching: engagements (existence only)
``engagement.main``  engagement         mastery: competencies worked on
``debrief.main``     debrief,           mastery: behaviours that changed
                     engagement
==================== ================== ======================================
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

ContextFunction = Callable[..., Mapping[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    context: ContextFunction
    order: int
    # The slot arguments the function names; None when it takes ``**kwargs`` (all).
    names: frozenset[str] | None = field(default=None, compare=False)

    def arguments(self, subject: Mapping[str, Any]) -> dict[str, Any]:
        if self.names is None:
            return dict(subject)
        return {name: value for name, value in subject.items() if name in self.names}


def _names(context: ContextFunction) -> frozenset[str] | None:
    parameters = inspect.signature(context).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None
    return frozenset(p.name for p in parameters)


_registry: defaultdict[str, list[Panel]] = defaultdict(list)


def panel(
    slot: str, template: str, *, order: int = 50
) -> Callable[[ContextFunction], ContextFunction]:
    """Register the decorated context function as a panel of ``slot``, rendered with
    ``template``; panels of a slot appear by ``order``, then by registration."""

    def register(context: ContextFunction) -> ContextFunction:
        panels = _registry[slot]
        # AppConfig.ready can run twice (tests that reload apps): register once.
        if not any(p.context is context for p in panels):
            panels.append(Panel(slot, template, context, order, _names(context)))
            panels.sort(key=lambda p: p.order)
        return context

    return register


def panels_for(slot: str) -> tuple[Panel, ...]:
    return tuple(_registry.get(slot, ()))


def render_slot(slot: str, request: HttpRequest, **subject: Any) -> SafeString:
    """Every panel of the slot that has something to show, rendered in order."""
    parts = []
    for p in panels_for(slot):
        context = p.context(request, **p.arguments(subject))
        if context is not None:
            parts.append(render_to_string(p.template, {**subject, **context}, request=request))
    # Each part is a template's output, escaped by the template engine.
    return mark_safe("".join(parts))  # noqa: S308
