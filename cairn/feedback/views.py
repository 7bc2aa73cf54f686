"""Feedback's pages: asking, answering, giving, and learning from what came back.

Thin views: decorators → access helper → form → service → answer. An unsigned
answer reaches a template only as its three texts (``Shown``): no author, no code,
no time, in the random order of its key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cairn.coaching.models import Session
from cairn.feedback import policy, services
from cairn.feedback.forms import (
    AnswerForm,
    AskForm,
    GiveForm,
    SessionHelpedForm,
    ShareForm,
    TakeawayForm,
)
from cairn.feedback.models import (
    ANONYMITY_THRESHOLD,
    AskStatus,
    FeedbackAnswer,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackShare,
    GivenFeedback,
    GivenStatus,
    Takeaway,
)
from cairn.feedback.policy import signer_name
from cairn.growth.models import Objective
from cairn.lib.access import get_or_404
from cairn.lib.confirm import ask as ask_first
from cairn.lib.confirm import confirmed
from cairn.lib.htmx import answer as htmx_answer
from cairn.lib.htmx import render_page
from cairn.mastery.models import Behaviour
from cairn.people.decorators import PersonRequest, person_required
from cairn.people.models import Person
from cairn.trust.models import Kind
from cairn.trust.services import record_read

SHOWN = 20
REQUESTS_PER_PAGE = 20


def _fail(form: Form, error: ValidationError) -> None:
    form.add_error(None, error)


@dataclass(frozen=True)
class Shown:
    """An answer as a page shows it: the signer's name (None when unsigned) and the
    three texts — nothing that could date or identify an unsigned one."""

    name: str | None
    well: str
    better: str
    to_try: str


def _shown(answers: list[FeedbackAnswer]) -> tuple[list[Shown], list[Shown]]:
    signed = [Shown(signer_name(a), a.well, a.better, a.to_try) for a in answers if a.signed]
    unsigned = [Shown(None, a.well, a.better, a.to_try) for a in answers if not a.signed]
    signed.sort(key=lambda s: s.name or "")
    return signed, unsigned


# --- home ------------------------------------------------------------------------------


@person_required
def home(request: PersonRequest) -> HttpResponse:
    """What others ask of me, what I asked for, feedback given to me and by me, and
    whose feedback is shared with me. Each list is bounded."""
    me = request.person
    requests = Paginator(
        FeedbackRequest.objects.filter(asker=me).order_by("-created_at", "-id"), REQUESTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "waiting": list(
            FeedbackAsk.objects.visible_to(me)
            .waiting()
            .select_related("request__asker")
            .order_by("request__due_on", "pk")[:SHOWN]
        ),
        "page": requests,
        "received": list(GivenFeedback.objects.received_by(me).select_related("giver")[:SHOWN]),
        "given": list(GivenFeedback.objects.filter(giver=me).select_related("receiver")[:SHOWN]),
        "shared_with_me": list(
            FeedbackShare.objects.filter(shared_with=me)
            .select_related("owner")
            .order_by("owner__name", "pk")[:SHOWN]
        ),
        "aggregate": policy.session_aggregate(me),
    }
    return render(request, "feedback/home.html", context)


# --- choosing people ---------------------------------------------------------------------


def _picker(me: Person, query: str, chosen: list[Person]) -> dict[str, Any]:
    """The people picker: those chosen (checked), the people I work with, and the
    results of a name search — never the whole organisation."""
    query = query.strip()[:100]
    found = policy.search_people(me, query)
    offered: dict[int, Person] = {p.pk: p for p in chosen}
    for person in [*policy.colleagues(me), *found[: policy.SEARCH_LIMIT]]:
        offered.setdefault(person.pk, person)
    chosen_ids = {p.pk for p in chosen}
    return {
        "query": query,
        "too_short": 0 < len(query) < policy.SEARCH_MIN,
        "no_match": len(query) >= policy.SEARCH_MIN and not found,
        "more": len(found) > policy.SEARCH_LIMIT,
        "people": [(p, p.pk in chosen_ids) for p in offered.values()],
    }


def _chosen(me: Person, codes: list[str]) -> list[Person]:
    """The people a search keeps checked (htmx sends the boxes checked so far)."""
    found = [policy.find_person(me, code) for code in codes[: services.MAX_ASKED]]
    return [p for p in found if p is not None and policy.can_address(me, p)]


def _searching(request: PersonRequest) -> bool:
    return request.method == "POST" and "search" in request.POST


# --- asking ----------------------------------------------------------------------------


@person_required
def ask(request: PersonRequest) -> HttpResponse:
    """Ask colleagues for feedback. ``?q=`` (or the Find button, without JavaScript)
    searches people by name; htmx gets the picker's results alone."""
    me = request.person
    if request.method == "GET":
        query = request.GET.get("q", "")
        chosen = _chosen(me, request.GET.getlist("people"))
        return render_page(
            request,
            "feedback/ask.html",
            "people",
            {**_picker(me, query, chosen), "multiple": True},
            page_only=lambda: {"form": AskForm(actor=me)},
        )
    form = AskForm(request.POST, actor=me)
    if _searching(request):
        # Keep what was typed and chosen; show no errors for a form not yet sent.
        kept = AskForm(actor=me, initial=request.POST.dict())
        return render(
            request,
            "feedback/ask.html",
            {"form": kept, **_picker(me, request.POST.get("q", ""), form.chosen), "multiple": True},
        )
    if form.is_valid():
        try:
            created = services.ask_for_feedback(me, **form.for_service())
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, "Asked. Each person has been told.")
            return HttpResponseRedirect(reverse("feedback:request", args=[created.code]))
    return render(
        request,
        "feedback/ask.html",
        {"form": form, **_picker(me, request.POST.get("q", ""), form.chosen), "multiple": True},
        status=422,
    )


# --- a request, for its asker and those they share with ------------------------------------


def _request_context(
    request: PersonRequest, feedback: FeedbackRequest, **forms: Any
) -> dict[str, Any]:
    me = request.person
    is_asker = feedback.asker_id == me.pk
    answers = list(
        FeedbackAnswer.objects.for_readers(me)
        .filter(request=feedback)
        .select_related("ask__person")
        .in_showing_order()
    )
    signed, unsigned = _shown(answers)
    context: dict[str, Any] = {
        "feedback": feedback,
        "is_asker": is_asker,
        "asked": policy.asked_names(feedback),
        "progress": policy.progress(feedback),
        "signed": signed,
        "unsigned": unsigned,
        "threshold": ANONYMITY_THRESHOLD,
        "objective": None,
        "behaviours": [],
    }
    if is_asker:
        # Side by side with what it is about: the objective, read as growth lets the
        # asker read it (their own), or the competency's behaviours.
        if feedback.objective_id is not None:
            context["objective"] = (
                Objective.objects.visible_to(me).filter(pk=feedback.objective_id).first()
            )
        context["takeaways"] = list(
            Takeaway.objects.visible_to(me).filter(request=feedback).select_related("action")
        )
        context["takeaway_form"] = forms.get("takeaway_form") or TakeawayForm(actor=me)
    if feedback.competency_id is not None:
        context["behaviours"] = list(
            Behaviour.objects.filter(
                competency_id=feedback.competency_id,
                competency__framework__organisation_id=me.organisation_id,
            ).select_related("level")
        )
    return context


@person_required
def request_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    """A request's answers, side by side with what it is about. A read by someone the
    asker shares with goes in the asker's access log."""
    feedback = policy.get_request_for(request.person, code)
    record_read(request, feedback.asker, Kind.FEEDBACK)
    return render(request, "feedback/request.html", _request_context(request, feedback))


@require_POST
@person_required
def request_takeaway(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    feedback = policy.get_own_request_for(me, code)
    form = TakeawayForm(request.POST, actor=me)
    ok = _save_takeaway(me, form, request=feedback)
    return htmx_answer(
        request,
        template="feedback/request.html",
        partial="takeaways",
        context=_request_context(request, feedback, takeaway_form=None if ok else form),
        success_url=reverse("feedback:request", args=[feedback.code]) + "#takeaways",
        ok=ok,
        done="Saved what you take from it.",
    )


def _save_takeaway(me: Person, form: TakeawayForm, **about: Any) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.add_takeaway(
            me, text=data["text"], objective=data["objective"], due_on=data["due_on"], **about
        )
    except ValidationError as error:
        _fail(form, error)
        return False
    return True


# --- answering -------------------------------------------------------------------------


def _answer_context(me: Person, ask: FeedbackAsk, form: AnswerForm | None = None) -> dict[str, Any]:
    feedback = ask.request
    own = FeedbackAnswer.objects.visible_to(me).filter(ask=ask).first()
    return {
        "ask": ask,
        "feedback": feedback,
        "own": own,
        "form": form or AnswerForm(questions=feedback.questions),
        "threshold": ANONYMITY_THRESHOLD,
    }


@person_required
def answer(request: PersonRequest, code: UUID) -> HttpResponse:
    """The page of one request for my feedback: answer it (signed or not) or decline
    it; once answered, what I wrote."""
    me = request.person
    ask_row = policy.get_ask_for(me, code)
    if request.method != "POST":
        return render(request, "feedback/answer.html", _answer_context(me, ask_row))
    form = AnswerForm(request.POST, questions=ask_row.request.questions)
    if form.is_valid():
        try:
            services.answer(me, ask_row, **form.for_service())
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(
                request, f"Thank you: your answer is with {ask_row.request.asker.name}."
            )
            return HttpResponseRedirect(reverse("feedback:answer", args=[ask_row.code]))
    ask_row.refresh_from_db(fields=["status"])
    return render(request, "feedback/answer.html", _answer_context(me, ask_row, form), status=422)


@require_POST
@person_required
def decline(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    ask_row = policy.get_ask_for(me, code)
    back = reverse("feedback:answer", args=[ask_row.code])
    if ask_row.status != AskStatus.WAITING:
        messages.info(request, "This request is no longer waiting for you.")
        return HttpResponseRedirect(back)
    if not confirmed(request):
        return ask_first(
            request,
            question=f"Decline {ask_row.request.asker.name}'s request for feedback?",
            button="Decline it",
            back_url=back,
            detail="They are not told who declined. You cannot answer it afterwards.",
        )
    services.decline(me, ask_row)
    messages.success(request, "Declined. Nobody is told who declined.")
    return HttpResponseRedirect(reverse("feedback:home"))


# --- giving unasked ----------------------------------------------------------------------


@person_required
def give(request: PersonRequest) -> HttpResponse:
    """Give a colleague feedback, unasked: signed, strengths first."""
    me = request.person
    if request.method == "GET":
        return render_page(
            request,
            "feedback/give.html",
            "people",
            {
                **_picker(
                    me, request.GET.get("q", ""), _chosen(me, request.GET.getlist("person")[:1])
                ),
                "multiple": False,
            },
            page_only=lambda: {"form": GiveForm(actor=me)},
        )
    form = GiveForm(request.POST, actor=me)
    chosen = [form.receiver] if form.receiver else []
    picker = {**_picker(me, request.POST.get("q", ""), chosen), "multiple": False}
    if _searching(request):
        kept = GiveForm(actor=me, initial=request.POST.dict())
        return render(request, "feedback/give.html", {"form": kept, **picker})
    if form.is_valid() and form.receiver is not None:
        try:
            services.give(
                me,
                form.receiver,
                well=form.cleaned_data["well"],
                better=form.cleaned_data["better"],
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, f"Delivered to {form.receiver.name}.")
            return HttpResponseRedirect(reverse("feedback:home"))
    return render(request, "feedback/give.html", {"form": form, **picker}, status=422)


def _received_context(me: Person, given: GivenFeedback, **forms: Any) -> dict[str, Any]:
    return {
        "given": given,
        "takeaways": list(
            Takeaway.objects.visible_to(me).filter(given=given).select_related("action")
        ),
        "takeaway_form": forms.get("takeaway_form") or TakeawayForm(actor=me),
    }


@person_required
def received(request: PersonRequest, code: UUID) -> HttpResponse:
    """Feedback given to me: read it, keep it or discard it, take something from it."""
    given = policy.get_received_for(request.person, code)
    return render(request, "feedback/received.html", _received_context(request.person, given))


@require_POST
@person_required
def received_keep(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    given = policy.get_received_for(me, code)
    choice = request.POST.get("keep")
    back = reverse("feedback:received", args=[given.code])
    if choice not in ("yes", "no"):
        messages.error(request, "Choose to keep it or to discard it.")
        response = render(request, "feedback/received.html", _received_context(me, given))
        response.status_code = 422
        return response
    keep = choice == "yes"
    if not keep and not confirmed(request):
        return ask_first(
            request,
            question=f"Discard the feedback {given.giver.name} gave you?",
            button="Discard it",
            back_url=back,
            detail="It leaves your lists for good. They are not told.",
            keep=["keep"],
        )
    services.keep(me, given, kept=keep)
    if keep:
        messages.success(request, "Kept.")
        return HttpResponseRedirect(back)
    messages.success(request, "Discarded.")
    return HttpResponseRedirect(reverse("feedback:home"))


@require_POST
@person_required
def received_takeaway(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    given = policy.get_received_for(me, code)
    form = TakeawayForm(request.POST, actor=me)
    ok = _save_takeaway(me, form, given=given)
    return htmx_answer(
        request,
        template="feedback/received.html",
        partial="takeaways",
        context=_received_context(me, given, takeaway_form=None if ok else form),
        success_url=reverse("feedback:received", args=[given.code]) + "#takeaways",
        ok=ok,
        done="Saved what you take from it.",
    )


# --- sharing ---------------------------------------------------------------------------


def _shares_context(me: Person, form: ShareForm | None = None) -> dict[str, Any]:
    return {
        "shares": list(FeedbackShare.objects.filter(owner=me).select_related("shared_with")),
        "share_form": form or ShareForm(owner=me),
    }


@person_required
def shares(request: PersonRequest) -> HttpResponse:
    """Who may read the feedback I received: my managers, coach or mentor, person by
    person, taken back at once."""
    me = request.person
    if request.method != "POST":
        return render(request, "feedback/shares.html", _shares_context(me))
    form = ShareForm(request.POST, owner=me)
    ok = False
    if form.is_valid():
        try:
            services.share(me, form.cleaned_data["person"])
        except ValidationError as error:
            _fail(form, error)
        else:
            ok, form = True, None  # type: ignore[assignment]
    return htmx_answer(
        request,
        template="feedback/shares.html",
        partial="shares",
        context=_shares_context(me, form),
        success_url=reverse("feedback:shares"),
        ok=ok,
        done="Shared. You can take it back at any time.",
    )


@require_POST
@person_required
def share_remove(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    grant = policy.get_own_share_for(me, code)
    if not confirmed(request):
        return ask_first(
            request,
            question=f"Stop sharing your feedback with {grant.shared_with.name}?",
            button="Stop sharing",
            back_url=reverse("feedback:shares"),
            detail="They lose access at once.",
        )
    services.unshare(me, grant)
    return htmx_answer(
        request,
        template="feedback/shares.html",
        partial="shares",
        context=_shares_context(me),
        success_url=reverse("feedback:shares"),
        ok=True,
        done=f"{grant.shared_with.name} can no longer read your feedback.",
    )


@person_required
def shared_person(request: PersonRequest, code: UUID) -> HttpResponse:
    """The feedback someone received, for a person they share it with: their
    requests with the answers the anonymity rules let through, and the feedback
    given to them that they kept. The read is in their access log."""
    me = request.person
    owner = policy.get_sharer_for(me, code)
    requests = list(FeedbackRequest.objects.visible_to(me).filter(asker=owner)[:SHOWN])
    answers = list(
        FeedbackAnswer.objects.for_readers(me)
        .filter(request__in=requests)
        .select_related("ask__person")
        .in_showing_order()
    )
    by_request: dict[int, list[FeedbackAnswer]] = {}
    for row in answers:
        by_request.setdefault(row.request_id, []).append(row)
    shown = [(r, *_shown(by_request.get(r.pk, []))) for r in requests]
    kept = list(
        GivenFeedback.objects.visible_to(me)
        .filter(receiver=owner, status=GivenStatus.KEPT)
        .select_related("giver")[:SHOWN]
    )
    record_read(request, owner, Kind.FEEDBACK)
    return render(
        request,
        "feedback/shared_person.html",
        {"owner": owner, "requests": shown, "kept": kept},
    )


# --- whether a session helped -----------------------------------------------------------


@require_POST
@person_required
def session_helped(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    session = get_or_404(Session.objects.visible_to(me).select_related("engagement"), code=code)
    if not policy.can_say_if_session_helped(me, session):
        raise Http404
    form = SessionHelpedForm(request.POST)
    back = reverse("coaching:session", args=[session.code])
    if not form.is_valid():
        return render(
            request,
            "feedback/session_helped.html",
            {"session": session, "form": form, "back": back},
            status=422,
        )
    try:
        services.say_if_session_helped(
            me, session, helped=form.cleaned_data["helped"] == "yes", why=form.cleaned_data["why"]
        )
    except ValidationError as error:
        # A second click, or a second tab: the first answer stands.
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, "Thank you. They only ever see a total over many answers.")
    return HttpResponseRedirect(back)
