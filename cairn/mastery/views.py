from __future__ import annotations

import base64
import secrets
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cairn.coaching.models import Engagement
from cairn.lib.confirm import ask, confirmed
from cairn.lib.htmx import answer, render_page, respond
from cairn.mastery import policy, services, spreadsheets
from cairn.mastery.forms import (
    EngagementCompetencyForm,
    FrameworkUploadForm,
    GrantForm,
    LadderForm,
    ShareForm,
)
from cairn.mastery.frameworks import MAX_BYTES, dump_yaml, framework_rows
from cairn.mastery.models import (
    Assessment,
    AssessmentShare,
    EngagementCompetency,
    Framework,
    Grant,
    Ladder,
    Level,
)
from cairn.mastery.panels import chosen_framework, engagement_competencies_context
from cairn.people.decorators import PersonRequest, org_admin_required, person_required
from cairn.people.models import Person
from cairn.trust.models import Kind
from cairn.trust.services import record_read


def _ladders(viewer: Person) -> list[Ladder]:
    """The viewer's ladders with their levels and privileges, in three queries."""
    levels = Level.objects.order_by("rank").prefetch_related("level_privileges")
    return list(
        Ladder.objects.visible_to(viewer).prefetch_related(Prefetch("levels", queryset=levels))
    )


def _standing(ladders: list[Ladder], grants: list[Grant]) -> list[dict[str, Any]]:
    """Per ladder: the current level and, when one was granted, the grant that put
    the person there (``grants`` latest first) and the history of that ladder."""
    rows = []
    for ladder in ladders:
        history = [g for g in grants if g.level.ladder_id == ladder.pk]
        levels = list(ladder.levels.all())
        current = history[0].level if history else (levels[0] if levels else None)
        rows.append(
            {
                "ladder": ladder,
                "level": current,
                "grant": history[0] if history else None,
                "history": history,
            }
        )
    return rows


def _side_by_side(assessments: list[Assessment]) -> list[dict[str, Any]]:
    """Per competency, the self-assessments and the assessments by others (each
    latest first, as ``assessments`` is): shown next to each other, never one in
    place of the other."""
    rows: dict[int, dict[str, Any]] = {}
    for assessment in assessments:
        row = rows.setdefault(
            assessment.competency_id,
            {"competency": assessment.competency, "own": [], "others": []},
        )
        row["own" if assessment.is_self_assessment else "others"].append(assessment)
    return sorted(
        rows.values(),
        key=lambda row: (
            row["competency"].framework.name,
            row["competency"].framework_id,
            row["competency"].position,
        ),
    )


_ASSESSMENT_PARTS = ("competency__framework", "level__track", "stage", "assessor")
SHARED_WITH_ME_SHOWN = 50


# --- my mastery ------------------------------------------------------------------------


def _share_results(me: Person, query: str) -> dict[str, Any]:
    """The share picker's answer to a name search: a bounded list, never everyone."""
    query = query.strip()
    candidates = policy.share_candidates(me, query)
    return {
        "query": query,
        "too_short": 0 < len(query) < policy.SHARE_SEARCH_MIN,
        "candidates": candidates[: policy.SHARE_SEARCH_LIMIT],
        "more": len(candidates) > policy.SHARE_SEARCH_LIMIT,
    }


def _shares_context(
    me: Person, query: str = "", *, form: ShareForm | None = None, done: str = ""
) -> dict[str, Any]:
    """The "who reads my assessments" section, with the picker's results."""
    return {
        "shares": list(AssessmentShare.objects.filter(owner=me).select_related("shared_with")),
        "share_form": form or ShareForm(),
        "done": done,
        **_share_results(me, query),
    }


def _home_context(me: Person) -> dict[str, Any]:
    """Everything on my mastery page but the share section."""
    ladders = _ladders(me)
    grants = list(
        Grant.objects.visible_to(me)
        .filter(person=me)
        .select_related("level", "granted_by")
        .latest_first()
    )
    assessments = list(
        Assessment.objects.visible_to(me)
        .filter(person=me)
        .select_related(*_ASSESSMENT_PARTS)
        .latest_first()
    )
    given = list(
        Grant.objects.visible_to(me)
        .filter(granted_by=me)
        .exclude(person=me)
        .select_related("person", "level__ladder")
        .latest_first()[:50]
    )
    written = list(
        Assessment.objects.visible_to(me)
        .filter(assessor=me)
        .exclude(person=me)
        .select_related("person", "competency", "level")
        .latest_first()[:50]
    )
    shared_with_me = list(
        AssessmentShare.objects.filter(shared_with=me)
        .select_related("owner")
        .order_by("owner__name", "pk")[: SHARED_WITH_ME_SHOWN + 1]
    )
    return {
        "standing": _standing(ladders, grants),
        "competencies": _side_by_side(assessments),
        "given": given,
        "written": written,
        "shared_with_me": shared_with_me[:SHARED_WITH_ME_SHOWN],
        "more_shared_with_me": len(shared_with_me) > SHARED_WITH_ME_SHOWN,
        "frameworks": Framework.objects.visible_to(me),
        "coachees": policy.coachees(me).order_by("name"),
        "may_grant": policy.may_grant_something(me),
    }


@person_required
def home(request: PersonRequest) -> HttpResponse:
    """My levels, with the evidence and history; my assessments, mine and my
    coaches' side by side; who reads them; what I wrote about others. ``?q=`` searches
    for a person to share with: htmx gets the results alone."""
    me = request.person
    query = request.GET.get("q", "")[:100]
    return render_page(
        request,
        "mastery/home.html",
        "share-results",
        _share_results(me, query),
        page_only=lambda: {**_home_context(me), **_shares_context(me, query)},
    )


def _shares_answer(
    request: PersonRequest, *, ok: bool, done: str, form: ShareForm | None = None
) -> HttpResponse:
    """After a share is added or taken back: the section for htmx, my mastery page
    (with the errors, or redirected to) for a browser."""
    me = request.person
    shares = _shares_context(me, form=form, done=done)
    return respond(
        request,
        htmx=lambda: render(request, "mastery/home.html#shares", shares, status=200 if ok else 422),
        browser=lambda: answer(
            request,
            template="mastery/home.html",
            partial="shares",
            context={**_home_context(me), **shares},
            success_url=reverse("mastery:home") + "#shares",
            ok=ok,
            done=done,
        ),
    )


@require_POST
@person_required
def share_add(request: PersonRequest) -> HttpResponse:
    """Let one person read all my assessments."""
    me = request.person
    form = ShareForm(request.POST)
    ok, done = False, ""
    if form.is_valid():
        reader = policy.find_share_reader(me, form.cleaned_data["person"])
        try:
            share = services.share_assessments(me, reader)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            ok = True
            done = f"{share.shared_with.name} can now read your assessments."
    return _shares_answer(request, ok=ok, done=done, form=None if ok else form)


@require_POST
@person_required
def share_remove(request: PersonRequest, code: UUID) -> HttpResponse:
    """Take a share back; another person's share, or none: 404."""
    me = request.person
    share = policy.get_own_share_for(me, code)
    services.unshare_assessments(me, share)
    return _shares_answer(
        request, ok=True, done=f"{share.shared_with.name} can no longer read your assessments."
    )


# --- ladders ---------------------------------------------------------------------------


@person_required
def ladder_detail(request: PersonRequest, slug: str) -> HttpResponse:
    ladder = policy.get_ladder_for(request.person, slug)
    levels = ladder.levels.order_by("rank").prefetch_related("level_privileges")
    return render(request, "mastery/ladder.html", {"ladder": ladder, "levels": levels})


@org_admin_required
def ladder_new(request: PersonRequest) -> HttpResponse:
    form = LadderForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ladder = services.create_ladder(
                request.person,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                levels=form.levels(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The {ladder.name} ladder is ready. Grant its levels next.")
            return HttpResponseRedirect(reverse("mastery:ladder", args=[ladder.slug]))
    status = 422 if form.errors else 200
    return render(request, "mastery/ladder_new.html", {"form": form}, status=status)


# --- a person's levels -----------------------------------------------------------------


@person_required
def person_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    """Someone else's mastery. Whom the person shares their assessments with reads
    them all, self-assessments and coaches' side by side (a recorded read); a coach
    reads the grants and assessments they wrote, with their evidence (nothing
    recorded: they are the author). Managers and org admins by role alone, and
    anyone else: 404."""
    me = request.person
    person = policy.get_person_for(me, code)
    if person.pk == me.pk:
        return HttpResponseRedirect(reverse("mastery:home"))
    shared = policy.shares_with(person, me)
    assessments = Assessment.objects.visible_to(me).filter(person=person)
    if not shared:
        assessments = assessments.filter(assessor=me)
    shown = list(assessments.select_related(*_ASSESSMENT_PARTS).latest_first())
    if any(a.assessor_id != me.pk for a in shown):
        # Someone else's words about the person, or the person's own: read through
        # their share, so the person learns of it.
        record_read(request, person, Kind.ASSESSMENTS)
    context: dict[str, Any] = {
        "person": person,
        "shared": shared,
        "competencies": _side_by_side(shown),
        "my_grants": list(
            Grant.objects.visible_to(me)
            .filter(person=person, granted_by=me)
            .select_related("level__ladder")
            .latest_first()
        ),
        "may_grant": policy.may_grant_something(me),
        "frameworks": Framework.objects.visible_to(me).order_by("name"),
    }
    return render(request, "mastery/person.html", context)


def _chosen(me: Person, code: object) -> tuple[Person | None, list[Level]]:
    """The person the grant form is about, when the granter may grant them a level,
    and their current levels on the granter's ladders: what choosing the next level
    needs, and no more."""
    try:
        UUID(str(code))
    except ValueError:
        return None, []
    person = policy.grantees(me).filter(code=str(code)).first()
    if person is None:
        return None, []
    return person, policy.held_for_granting(me, person)


@person_required
def grant_new(request: PersonRequest) -> HttpResponse:
    """Grant a level (or withdraw one with a lower grant): org admins, and people
    whose level carries the privilege to grant. Anyone else: 404. With a person
    chosen (``?person=``, or the one posted), the form says where they stand on the
    ladders the granter grants on."""
    me = request.person
    if not policy.may_grant_something(me):
        raise Http404
    initial = {}
    if request.method == "GET" and "person" in request.GET:
        initial["person"] = request.GET["person"]
    form = GrantForm(
        request.POST if request.method == "POST" else None,
        viewer=me,
        initial=initial,
        search=request.GET,
    )
    ok, done = False, ""
    if request.method == "POST" and form.is_valid():
        person, level = form.cleaned_data["person"], form.cleaned_data["level"]
        try:
            services.grant_level(me, person, level, evidence=form.cleaned_data["evidence"])
        except PermissionDenied:
            form.add_error(
                "person",
                f"You may not change {person.name}'s level on {level.ladder.name}: "
                "their level is at or above your own.",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            ok = True
            done = f"{person.name} is now at {level.name} on {level.ladder.name}."
            form = GrantForm(viewer=me)
    chosen, held = (None, []) if ok else _chosen(me, form["person"].value())
    context = {"form": form, "done": done, "chosen": chosen, "held": held}
    if request.method != "POST":
        return render(request, "mastery/grant.html", context)
    return answer(
        request,
        template="mastery/grant.html",
        partial="grant-form",
        context=context,
        success_url=reverse("mastery:grant"),
        ok=ok,
        done=done,
    )


# --- frameworks and assessments --------------------------------------------------------


EXPORT_TYPES = {
    "yaml": "application/yaml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
@person_required
def framework_export(request: PersonRequest, code: UUID, fmt: str) -> HttpResponse:
    """The framework as a file: ``cairn.framework/2`` YAML (whole), or CSV and XLSX
    rows (one per behaviour and example). Open to whoever reads the framework: it
    describes expectations, not people."""
    framework = policy.get_framework_for(request.person, code)
    if fmt not in EXPORT_TYPES:
        raise Http404
    spec = services.framework_spec(framework)
    if fmt == "yaml":
        body = dump_yaml(spec).encode()
    else:
        rows = framework_rows(spec)
        if not rows:
            # Nothing a spreadsheet can hold (a stage scale, or no behaviours yet): a
            # file with a header only would not import back.
            context = {"framework": framework}
            return render(request, "mastery/framework_export_empty.html", context, status=422)
        write = spreadsheets.write_csv if fmt == "csv" else spreadsheets.write_xlsx
        body = write(rows)
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    filename = f"{framework.key}-v{framework.version}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


PENDING_IMPORT = "mastery.pending_import"


@org_admin_required
def framework_import(request: PersonRequest) -> HttpResponse:
    """Upload a framework file. A new key imports at once; a key the organisation
    has already shows what the file would change (added, renamed, changed, retired)
    and imports it as the next version only when confirmed. The file waits in the
    session between the two steps, with the version the differences were taken
    against; a version imported meanwhile sends the admin back to look again."""
    me = request.person
    if request.method == "POST" and "token" in request.POST:
        return _framework_import_confirm(request)
    form = FrameworkUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # At most one byte over the limit, whatever the upload claims.
        data = upload.read(MAX_BYTES + 1)
        filename, name = upload.name or "", form.cleaned_data["name"]
        try:
            spec = services.read_framework(data, filename=filename, name=name)
            diff = services.preview_import(me, spec)
            if diff.framework is None:
                framework = services.import_framework(me, data, filename=filename, name=name)
                messages.success(request, f"Imported {framework.name}. {spec.read_as}".strip())
                return HttpResponseRedirect(reverse("mastery:framework", args=[framework.code]))
            current = diff.framework
        except ValidationError as error:
            form.add_error("file", [*error.messages, "Nothing was imported."])
        else:
            token = secrets.token_urlsafe(16)
            request.session[PENDING_IMPORT] = {
                "token": token,
                "data": base64.b64encode(data).decode("ascii"),
                "filename": filename,
                "name": name,
                "framework": current.pk,
                "version": current.version,
            }
            return render(
                request, "mastery/framework_import_diff.html", {"diff": diff, "token": token}
            )
    status = 422 if form.errors else 200
    return render(request, "mastery/framework_import.html", {"form": form}, status=status)


def _framework_import_confirm(request: PersonRequest) -> HttpResponse:
    pending = request.session.get(PENDING_IMPORT)
    form = FrameworkUploadForm()
    if not isinstance(pending, dict) or pending.get("token") != request.POST.get("token"):
        return render(
            request,
            "mastery/framework_import.html",
            {"form": form, "errors": ["This import is no longer waiting: upload the file again."]},
            status=422,
        )
    if not confirmed(request):
        return HttpResponseRedirect(reverse("mastery:framework-import"))
    try:
        framework = services.import_framework(
            request.person,
            base64.b64decode(pending["data"]),
            filename=pending["filename"],
            name=pending["name"],
            expected_version=pending["version"],
        )
    except ValidationError as error:
        del request.session[PENDING_IMPORT]
        return render(
            request,
            "mastery/framework_import.html",
            {"form": form, "errors": [*error.messages, "Nothing was imported."]},
            status=422,
        )
    del request.session[PENDING_IMPORT]
    messages.success(request, f"Imported version {framework.version} of {framework.name}.")
    return HttpResponseRedirect(reverse("mastery:framework", args=[framework.code]))


# --- competencies in coaching ------------------------------------------------------------

CLOSED = "This engagement has closed: its competencies stay as they were."


def _competencies_answer(
    request: PersonRequest,
    engagement: Engagement,
    *,
    ok: bool,
    done: str = "",
    form: EngagementCompetencyForm | None = None,
    error: str = "",
) -> HttpResponse:
    """After a competency is added or removed: the section for htmx; for a browser,
    the engagement page (redirected to, the section not built for nothing), or the
    section on a page of its own with the error (422)."""

    def context() -> dict[str, Any]:
        return {
            **engagement_competencies_context(
                request, engagement, form=form, done=done if ok else "", error=error
            ),
            "other": engagement.other_party(request.person),
        }

    template = "mastery/engagement_competencies.html"
    status = 200 if ok else 422

    def browser() -> HttpResponse:
        if not ok:
            return render(request, template, context(), status=status)
        messages.success(request, done)
        return HttpResponseRedirect(
            reverse("coaching:engagement", args=[engagement.code]) + "#competencies"
        )

    return respond(
        request,
        htmx=lambda: render(request, f"{template}#competencies", context(), status=status),
        browser=browser,
    )


@require_POST
@person_required
def engagement_competency_add(request: PersonRequest, code: UUID) -> HttpResponse:
    """Either party names one more competency for their competency-coaching
    engagement. Not a party, or another kind of engagement: 404."""
    me = request.person
    engagement = policy.get_competency_engagement_for(me, code)
    frameworks = list(Framework.objects.filter(organisation_id=engagement.organisation_id))
    framework = (
        chosen_framework(request, frameworks)
        if len(frameworks) > policy.FRAMEWORKS_IN_ONE_SELECT
        else None
    )
    if not policy.can_choose_engagement_competencies(me, engagement):
        return _competencies_answer(request, engagement, ok=False, error=CLOSED)
    form = EngagementCompetencyForm(request.POST, engagement=engagement, framework=framework)
    if form.is_valid():
        competency = form.cleaned_data["competency"]
        try:
            services.add_engagement_competency(me, engagement, competency)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _competencies_answer(
                request, engagement, ok=True, done=f"You now work on {competency.name}."
            )
    return _competencies_answer(request, engagement, ok=False, form=form)


@require_POST
@person_required
def engagement_competency_remove(
    request: PersonRequest, code: UUID, competency: UUID
) -> HttpResponse:
    """Take a competency off the engagement, once asked (``cairn.lib.confirm``)."""
    me = request.person
    engagement = policy.get_competency_engagement_for(me, code)
    link: EngagementCompetency = policy.get_engagement_competency_for(me, engagement, competency)
    name = link.competency.name
    if not policy.can_choose_engagement_competencies(me, engagement):
        return _competencies_answer(request, engagement, ok=False, error=CLOSED)
    if not confirmed(request):
        return ask(
            request,
            question=f"Stop working on {name}?",
            button="Remove it",
            back_url=reverse("coaching:engagement", args=[engagement.code]) + "#competencies",
            detail="Behaviours already ticked in a debrief stay with it.",
        )
    services.remove_engagement_competency(me, link)
    return _competencies_answer(request, engagement, ok=True, done=f"You no longer work on {name}.")
