"""Decisions with a way back: every destructive POST asks first.

A form whose POST destroys or ends something (closing an engagement, ending a
session before it starts, removing a note) is marked ``data-confirm="question"``
and posts to its view as usual. Two ways to say yes:

- **With JavaScript**, ``cairn/confirm.js`` opens a ``<dialog>`` with the question
  before the form goes; "yes" adds ``confirmed=yes`` to the form and submits it
  (htmx or plain alike).
- **Without JavaScript**, the POST arrives without ``confirmed``: the view answers
  with ``ask()``, a page with the question and one button that posts the same
  fields again with ``confirmed=yes``. Nothing changes until then.

A view does the destructive work only when ``confirmed(request)``::

    if not confirmed(request):
        return ask(request, question="Close the engagement with Ana?", ...)

Templates mark the form with two plain attributes: ``data-confirm="question"`` and,
optionally, ``data-confirm-button="Close it"`` (the dialog's yes button).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"


def confirmed(request: HttpRequest) -> bool:
    """The POST says yes: from the dialog, or from the confirmation page."""
    return request.method == "POST" and request.POST.get(CONFIRMED) == "yes"


def ask(
    request: HttpRequest,
    *,
    question: str,
    button: str,
    back_url: str,
    detail: str = "",
    keep: Iterable[str] = (),
    title: str = "",
) -> HttpResponse:
    """The page that asks before a destructive POST goes ahead (200, nothing
    changed). It posts back to the same URL with ``confirmed=yes`` and the posted
    fields named in ``keep`` (a reason typed in the first form is not lost)."""
    fields = [(name, request.POST.get(name, "")) for name in keep if name in request.POST]
    response = render(
        request,
        "confirm/page.html",
        {
            "question": question,
            "detail": detail,
            "button": button,
            "back_url": back_url,
            "action": request.path,
            "fields": fields,
            "title": title or question,
        },
    )
    # Say so to anything that looks: this is a question, not the result.
    response["X-Cairn-Confirm"] = "ask"
    return response
