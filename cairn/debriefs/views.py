"""Pages of group debriefs: my debriefs, a new one, and the debrief's own page, where
the host invites and opens it, each member writes their reflection, the group adds
action items, and everyone keeps private notes.

Thin views: decorators → access helper → form → service → answer. Everything on the
debrief page posts to its own endpoint and answers through ``cairn.lib.htmx``: htmx
gets the page's ``debrief`` partial again, a browser is redirected back to the page.
Anyone outside the group gets 404 from the access helper, whatever they post; a
member who may read but not do something gets 404 too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cairn.debriefs import policy, services
from cairn.debriefs.forms import (
    ActionItemForm,
    CohortInviteForm,
    DebriefForm,
    NoteForm,
    PersonInviteForm,
    ReflectionForm,
    TeamInviteForm,
)
from cairn.debriefs.models import (
    DebriefActionItem,
    DebriefNote,
    GroupDebrief,
    Reflection,
)
from cairn.lib.confirm import ask, confirmed
from cairn.lib.htmx import answer, render_page, respond
from cairn.people.decorators import PersonRequest, person_required
from cairn.people.models import Person

PAGE_SIZE = 20
TEMPLATE = "debriefs/debrief.html"


def _url(debrief: GroupDebrief) -> str:
    return reverse("debriefs:debrief", args=[debrief.code])


@person_required
def home(request: PersonRequest) -> HttpResponse:
    """The debriefs I host or am invited to, newest first, a page at a time."""
    me = request.person
    debriefs = GroupDebrief.objects.visible_to(me).select_related("host")
    page = Paginator(debriefs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "debriefs/home.html", {"page": page, "debriefs": page.object_list})


@person_required
def new(request: PersonRequest) -> HttpResponse:
    """Host a debrief: a title, the kind and when it opens; the group is invited on
    its page."""
    me = request.person
    form = DebriefForm(request.POST or None, viewer=me)
    if request.method == "POST" and form.is_valid():
        try:
            debrief = services.create_debrief(me, **form.terms())
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error(None, "Only a program admin hosts a program debrief.")
        else:
            messages.success(request, "Debrief created. Now invite the group.")
            return HttpResponseRedirect(_url(debrief))
    return render(request, "debriefs/new.html", {"form": form}, status=422 if form.errors else 200)


def _context(
    request: PersonRequest,
    debrief: GroupDebrief,
    forms: Mapping[str, Form] | None = None,
    *,
    editing: UUID | None = None,
) -> dict[str, Any]:
    """Everything the debrief page shows, in a number of queries that does not grow
    with the group: the group, the reflections the viewer may read, the count of those
    written, the action items, the viewer's own notes, and the forms."""
    me = request.person
    forms = forms or {}
    now = timezone.now()
    is_host = me.pk == debrief.host_id
    group_qs = policy.group_of(debrief)
    group = list(group_qs.order_by("name"))
    reflections = list(
        Reflection.objects.visible_to(me).filter(debrief=debrief).select_related("author")
    )
    mine = next((r for r in reflections if r.author_id == me.pk), None)
    written = Reflection.objects.filter(debrief=debrief, author__in=group_qs.values("pk")).count()
    action_items = list(
        DebriefActionItem.objects.visible_to(me).filter(debrief=debrief).select_related("owner")
    )
    for item in action_items:
        item.debrief = debrief
    context: dict[str, Any] = {
        "debrief": debrief,
        "is_host": is_host,
        "group": group,
        "reflections": [r for r in reflections if r.author_id != me.pk],
        "my_reflection": mine,
        "written": written,
        # Each item with what the viewer may do to it: change it, remove it.
        "action_items": [
            (item, policy.may_edit_action(me, item), policy.may_remove_action(me, item))
            for item in action_items
        ],
        "editing": editing,
        "notes": DebriefNote.objects.visible_to(me).filter(debrief=debrief),
        "can_open": policy.can_open(me, debrief, now),
        "can_close": is_host and debrief.is_open,
        "can_decline": not is_host and not debrief.is_closed,
        "can_invite": is_host and not debrief.is_closed,
        "can_reflect": not debrief.is_closed,
        "can_add_action": debrief.is_open,
        "me": me,
    }
    if not debrief.is_closed:
        context["reflection_form"] = forms.get("reflection_form") or ReflectionForm(
            initial={"happened": mine.happened, "learned": mine.learned, "change": mine.change}
            if mine
            else None
        )
    if debrief.is_open:
        context["action_form"] = forms.get("action_form") or ActionItemForm(group=group_qs)
    if editing is not None:
        context["edit_form"] = forms["edit_form"]
    context["note_form"] = forms.get("note_form") or NoteForm()
    if context["can_invite"]:
        context["team_form"] = forms.get("team_form") or TeamInviteForm(
            viewer=me, search=request.GET
        )
        context["person_form"] = forms.get("person_form") or PersonInviteForm(
            viewer=me, search=request.GET
        )
        if me.is_program_admin:
            context["cohort_form"] = forms.get("cohort_form") or CohortInviteForm(viewer=me)
    return context


def _answer(
    request: PersonRequest, debrief: GroupDebrief, *, ok: bool, done: str = "", **forms: Form
) -> HttpResponse:
    return _answer_with(
        request, debrief, lambda: _context(request, debrief, forms), ok=ok, done=done
    )


def _answer_with(
    request: PersonRequest,
    debrief: GroupDebrief,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    *,
    ok: bool,
    done: str,
) -> HttpResponse:
    return answer(
        request,
        template=TEMPLATE,
        partial="debrief",
        context=context,
        success_url=_url(debrief),
        ok=ok,
        done=done,
    )


@person_required
def debrief(request: PersonRequest, code: UUID) -> HttpResponse:
    found = policy.get_debrief_for(request.person, code)
    return render(request, TEMPLATE, _context(request, found))


def _once_asked(
    request: PersonRequest,
    debrief: GroupDebrief,
    *,
    question: str,
    button: str,
    detail: str,
    act: Callable[[], object],
    done: str,
    then: str = "",
) -> HttpResponse:
    """Something that cannot be undone: first the page that asks (nothing changed);
    once the person has said yes, ``act()``, ``done`` said on the page it goes to next
    (``then``, or the debrief's)."""
    if not confirmed(request):
        return ask(request, question=question, button=button, back_url=_url(debrief), detail=detail)
    act()
    messages.success(request, done)
    return HttpResponseRedirect(then or _url(debrief))


def _run(form: Form, call: Any) -> bool:
    """Call the service; a refusal by policy is a 404 (the page offered nothing to
    do), a validation error shows on the form."""
    try:
        call()
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@require_POST
@person_required
def invite(request: PersonRequest, code: UUID) -> HttpResponse:
    """The host invites a team, a program's cohort, or one person."""
    me = request.person
    found = policy.get_debrief_for(me, code)
    if not policy.can_invite(me, found):
        raise Http404
    joined: list[int] = []
    ok = False
    form: Form
    if "team" in request.POST:
        form, name = TeamInviteForm(request.POST, viewer=me), "team_form"
        if form.is_valid():
            team = form.cleaned_data["team"]
            ok = _run(form, lambda: joined.append(services.invite_team(me, found, team)))
    elif "program" in request.POST and me.is_program_admin:
        form, name = CohortInviteForm(request.POST, viewer=me), "cohort_form"
        if form.is_valid():
            program = form.cleaned_data["program"]
            ok = _run(form, lambda: joined.append(services.invite_cohort(me, found, program)))
    else:
        form, name = PersonInviteForm(request.POST, viewer=me), "person_form"
        if form.is_valid():
            person = form.cleaned_data["person"]
            ok = _run(form, lambda: joined.append(services.invite_people(me, found, [person])))
    done = ""
    if ok:
        done = f"Invited {joined[0]}." if joined[0] else "Everyone there is invited already."
    return _answer(request, found, ok=ok, done=done, **({} if ok else {name: form}))


@require_POST
@person_required
def remove_member(request: PersonRequest, code: UUID, person: UUID) -> HttpResponse:
    """The host takes an invitee out of the group, once they have said yes."""
    me = request.person
    found = policy.get_debrief_for(me, code)
    member = policy.group_of(found).filter(code=person).first()
    if member is None or not policy.can_remove(me, found, member):
        raise Http404
    return _once_asked(
        request,
        found,
        question=f"Take {member.name} out of the debrief “{found.title}”?",
        button="Take them out",
        detail="Their reflection is deleted and they no longer see the debrief; "
        "action items they own stay theirs. You can invite them again by name.",
        act=lambda: services.remove_member(me, found, member),
        done=f"{member.name} is no longer in the group.",
    )


@require_POST
@person_required
def reflection(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    found = policy.get_debrief_for(me, code)
    form = ReflectionForm(request.POST)
    ok = form.is_valid() and _run(
        form, lambda: services.write_reflection(me, found, **form.cleaned_data)
    )
    return _answer(
        request, found, ok=ok, done="Reflection saved.", **({} if ok else {"reflection_form": form})
    )


@require_POST
@person_required
def open_session(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    found = policy.get_debrief_for(me, code)
    if not policy.can_open(me, found, timezone.now()):
        raise Http404
    services.open_session(me, found)
    return _answer(
        request, found, ok=True, done="The session is open: the group reads every reflection."
    )


@require_POST
@person_required
def close(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    found = policy.get_debrief_for(me, code)
    if not policy.can_close(me, found):
        raise Http404
    return _once_asked(
        request,
        found,
        question=f"Close the debrief “{found.title}”?",
        button="Close it",
        detail="Nobody writes reflections or adds action items once it is closed; "
        "action items can still be ticked off.",
        act=lambda: services.close(me, found),
        done="The debrief is closed.",
    )


@require_POST
@person_required
def decline(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    found = policy.get_debrief_for(me, code)
    if not policy.can_decline(me, found):
        raise Http404
    return _once_asked(
        request,
        found,
        question=f"Decline the debrief “{found.title}”?",
        button="Decline it",
        detail="You leave the group: the reflection you wrote is deleted, and you "
        "no longer see the debrief. Your private notes stay in your export.",
        act=lambda: services.decline(me, found),
        done="Declined. You are no longer in that debrief's group.",
        then=reverse("debriefs:home"),
    )


@require_POST
@person_required
def action_add(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    found = policy.get_debrief_for(me, code)
    if not policy.can_add_action(me, found):
        raise Http404
    form = ActionItemForm(request.POST, group=policy.group_of(found))
    ok = form.is_valid() and _run(
        form, lambda: services.add_action_item(me, found, **form.cleaned_data)
    )
    return _answer(
        request, found, ok=ok, done="Action item added.", **({} if ok else {"action_form": form})
    )


@require_POST
@person_required
def action_mark(request: PersonRequest, code: UUID, item: UUID) -> HttpResponse:
    me = request.person
    found = policy.get_debrief_for(me, code)
    action = policy.get_action_for(me, found, item)
    if not policy.can_mark_action(me, action):
        raise Http404
    services.mark_action_item(me, action, done=request.POST.get("done") == "yes")
    return _answer(request, found, ok=True)


@require_POST
@person_required
def note_add(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    found = policy.get_debrief_for(me, code)
    form = NoteForm(request.POST)
    ok = form.is_valid() and _run(
        form, lambda: services.add_note(me, found, body=form.cleaned_data["body"])
    )
    return _answer(request, found, ok=ok, done="Note saved.", **({} if ok else {"note_form": form}))


def _edit_form(request: PersonRequest, debrief: GroupDebrief, item: DebriefActionItem) -> Form:
    return ActionItemForm(
        request.POST if request.method == "POST" else None,
        group=policy.group_of(debrief),
        auto_id="edit-%s",
        initial={"description": item.description, "owner": item.owner, "due_on": item.due_on},
    )


ITEM_GONE = services.ITEM_GONE
ITEMS_FIXED = "The debrief is closed: its action items stay as they were agreed."


def _tell(request: PersonRequest, debrief: GroupDebrief, message: str) -> HttpResponse:
    """Nothing changed, and why (the item went a moment ago, the debrief closed): the
    debrief with the message to htmx, the page with it to a browser."""

    def browser() -> HttpResponse:
        messages.info(request, message)
        return HttpResponseRedirect(_url(debrief))

    return respond(
        request,
        htmx=lambda: render(
            request, f"{TEMPLATE}#debrief", {**_context(request, debrief), "notice": message}
        ),
        browser=browser,
    )


def _item_to_change(
    request: PersonRequest,
    code: UUID,
    item: UUID,
    allowed: Callable[[Person, DebriefActionItem], bool],
) -> HttpResponse | tuple[GroupDebrief, DebriefActionItem]:
    """The debrief and its action item the viewer may change (``allowed``); or the
    answer instead: why not, when it went or the debrief closed since the page was
    opened; 404 for anyone else."""
    me = request.person
    found = policy.get_debrief_for(me, code)
    action = policy.find_action_for(me, found, item)
    if action is None:
        return _tell(request, found, ITEM_GONE)
    if found.is_closed:
        return _tell(request, found, ITEMS_FIXED)
    if not allowed(me, action):
        raise Http404
    return found, action


@person_required
def action_edit(request: PersonRequest, code: UUID, item: UUID) -> HttpResponse:
    """Whoever added an action item, its owner or the host changes what, who or by
    when, in place on the page (without JavaScript too: the page, with that item's
    form open); the owner is told of a change someone else made."""
    me = request.person
    to_change = _item_to_change(request, code, item, policy.can_edit_action)
    if isinstance(to_change, HttpResponse):
        return to_change
    found, action = to_change
    form = _edit_form(request, found, action)
    context = {"edit_form": form}
    if request.method != "POST":
        return render_page(
            request, TEMPLATE, "debrief", _context(request, found, context, editing=action.code)
        )
    if form.is_valid():
        try:
            services.edit_action_item(me, action, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None  # taken out of the group a moment ago
        except ValidationError as error:
            if ITEM_GONE in error.messages:
                return _tell(request, found, ITEM_GONE)
            form.add_error(None, error)
        else:
            return _answer(request, found, ok=True, done="Action item changed.")
    page = _context(request, found, context, editing=action.code)
    return _answer_with(request, found, page, ok=False, done="")


@require_POST
@person_required
def action_remove(request: PersonRequest, code: UUID, item: UUID) -> HttpResponse:
    """Whoever added an action item or the host removes it, once they have said yes."""
    me = request.person
    to_change = _item_to_change(request, code, item, policy.can_remove_action)
    if isinstance(to_change, HttpResponse):
        return to_change
    found, action = to_change
    return _once_asked(
        request,
        found,
        question="Remove this action item?",
        button="Remove it",
        detail=f"“{action.description}” goes for the whole group.",
        act=lambda: services.remove_action_item(me, action),
        done="Action item removed.",
    )
