from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from cairn.lib.htmx import render_page, respond
from cairn.lib.versions import Conflict, conflict_answer, theirs
from cairn.mentoring import policy, services
from cairn.mentoring.forms import (
    AnswerRequestForm,
    DirectoryForm,
    EnrolForm,
    MoveForm,
    ProfileForm,
    ProgramForm,
    ProgramSettingsForm,
    ProposalFilterForm,
    RequestForm,
)
from cairn.mentoring.models import (
    WEIGHT_FIELDS,
    Enrolment,
    Match,
    MatchStatus,
    MentoringRequest,
    MentorProfile,
    Program,
    ProgramKind,
    Role,
    SensitiveAnswer,
    ShortlistEntry,
    Unmatched,
)
from cairn.people import pickers
from cairn.people.decorators import PersonRequest, person_required
from cairn.people.models import Person
from cairn.tags import policy as tag_policy
from cairn.tags import services as tag_services
from cairn.tags.forms import TagForm
from cairn.tags.models import Tag
from cairn.trust.models import Kind
from cairn.trust.services import record_read, record_reads

PAGE_SIZE = 20


def _errors_into(form: Any, error: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where it names one the
    form has, on the form otherwise."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- directory and profiles --------------------------------------------------------


@person_required
def directory(request: PersonRequest) -> HttpResponse:
    """Mentors in the viewer's organisation: search, filter by tag, open capacity."""
    me = request.person
    form = DirectoryForm(request.GET or None, viewer=me)
    profiles = (
        MentorProfile.objects.visible_to(me)
        .listed()
        .with_load()
        .select_related("person__team")
        .prefetch_related("expertise")
    )
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        if query:
            profiles = profiles.filter(
                Q(person__name__icontains=query)
                | Q(person__title__icontains=query)
                | Q(helps_with__icontains=query)
            )
        if form.cleaned_data["tag"]:
            profiles = profiles.filter(expertise=form.cleaned_data["tag"])
        if form.cleaned_data["open"]:
            profiles = profiles.with_open_capacity()
    # A plain query: one tag at a time never repeats a profile, so no DISTINCT
    # (which made the database sort every profile before the page's LIMIT).
    page = Paginator(profiles.order_by("person__name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "querystring": params.urlencode() + "&" if params else "",
        "has_profile": _has_profile(me),
    }
    return render_page(request, "mentoring/directory.html", "results", context)


def _has_profile(me: Any) -> bool:
    return MentorProfile.objects.filter(person=me).exists()


@person_required
def profile_edit(request: PersonRequest) -> HttpResponse:
    me = request.person
    profile = (
        MentorProfile.objects.filter(person=me).prefetch_related("expertise", "goal_tags").first()
    )
    if request.method == "POST":
        form = ProfileForm(request.POST, viewer=me)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_profile(
                    me,
                    services.ProfileData(
                        helps_with=data["helps_with"],
                        capacity=data["capacity"],
                        expertise=list(data["expertise"]),
                        goal_tags=list(data["goal_tags"]),
                        availability=data["availability"],
                        languages=data["languages"],
                        utc_offset=data["utc_offset"],
                        years_experience=data["years_experience"],
                        outside_team=data["outside_team"],
                        status=data["status"],
                    ),
                )
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(request, "Your mentor profile is saved.")
                return HttpResponseRedirect(reverse("mentoring:directory"))
    elif profile is not None:
        form = ProfileForm(
            viewer=me,
            initial={
                "helps_with": profile.helps_with,
                "capacity": profile.capacity,
                "availability": profile.availability,
                "languages": profile.languages,
                "utc_offset": profile.utc_offset,
                "years_experience": profile.years_experience,
                "outside_team": profile.outside_team,
                "status": profile.status,
                "expertise": [t.slug for t in profile.expertise.all()],
                "goal_tags": [t.slug for t in profile.goal_tags.all()],
            },
        )
    else:
        form = ProfileForm(viewer=me, initial={"outside_team": True, "years_experience": 0})
    status = 422 if form.errors else 200
    return render(
        request, "mentoring/profile_edit.html", {"form": form, "profile": profile}, status=status
    )


@person_required
def profile_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    profile = policy.get_profile_for(request.person, code)
    return _profile_page(request, profile, RequestForm())


def _profile_page(
    request: PersonRequest, profile: MentorProfile, form: RequestForm, status: int = 200
) -> HttpResponse:
    me = request.person
    loaded = MentorProfile.objects.with_load().get(pk=profile.pk)
    pending = MentoringRequest.objects.pending().filter(
        Q(mentee=me, mentor=profile.person) | Q(mentee=profile.person, mentor=me)
    )
    return render(
        request,
        "mentoring/profile.html",
        {
            "profile": profile,
            "open_capacity": loaded.open_capacity if loaded.status == "open" else 0,
            "is_me": profile.person_id == me.pk,
            "pending": pending.exists(),
            "form": form,
        },
        status=status,
    )


@require_POST
@person_required
def request_send(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    profile = policy.get_profile_for(me, code)
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            sent = services.send_request(
                me,
                profile.person,
                challenge=form.cleaned_data["challenge"],
                goals=form.cleaned_data["goals"],
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(
                request, f"Asked {profile.person.name}. You will see their answer here."
            )
            return HttpResponseRedirect(reverse("mentoring:request", args=[sent.code]))
    return _profile_page(request, profile, form, status=422)


# --- requests ----------------------------------------------------------------------


@person_required
def requests(request: PersonRequest) -> HttpResponse:
    me = request.person
    visible = (
        MentoringRequest.objects.visible_to(me)
        .select_related("mentee", "mentor")
        .order_by("-created_at", "-pk")
    )
    # A page of each, newest first: a sought-after mentor is asked again and again.
    sent = Paginator(visible.filter(mentee=me), PAGE_SIZE).get_page(request.GET.get("sent"))
    received = Paginator(visible.filter(mentor=me), PAGE_SIZE).get_page(request.GET.get("received"))
    return render(
        request,
        "mentoring/requests.html",
        {
            "sent": sent.object_list,
            "received": received.object_list,
            "sent_page": sent,
            "received_page": received,
        },
    )


@person_required
def request_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    item = policy.get_request_for(me, code)
    if me.pk not in (item.mentee_id, item.mentor_id):
        # A program admin, who is no party to it: a read of the mentee's request for
        # their access log. The mentor it is addressed to is a party, not a reader.
        record_read(request, item.mentee, Kind.MENTORING_REQUEST)
    return _request_page(request, item, AnswerRequestForm())


def _request_page(
    request: PersonRequest, item: MentoringRequest, form: AnswerRequestForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "mentoring/request.html",
        {
            "item": item,
            "form": form,
            "can_answer": policy.can_answer_request(request.person, item),
        },
        status=status,
    )


@require_POST
@person_required
def request_answer(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    item = policy.get_request_for(me, code)
    if item.mentor_id == me.pk and item.engagement is not None:
        # Accepted already (a second click): the answer the first one had.
        return HttpResponseRedirect(reverse("coaching:engagement", args=[item.engagement.code]))
    if not policy.can_answer_request(me, item):
        # A second click, or someone else's request: nothing to answer here.
        raise Http404
    form = AnswerRequestForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == AnswerRequestForm.ACCEPT
        try:
            services.answer_request(me, item, accept=accept, message=form.cleaned_data["message"])
        except ValidationError as error:
            _errors_into(form, error)
        else:
            if accept and item.engagement is not None:
                messages.success(request, f"You are now mentoring {item.mentee.name}.")
                return HttpResponseRedirect(
                    reverse("coaching:engagement", args=[item.engagement.code])
                )
            messages.success(request, "Declined. Your message was sent with your answer.")
            return HttpResponseRedirect(reverse("mentoring:requests"))
    return _request_page(request, item, form, status=422)


# --- tags --------------------------------------------------------------------------


@person_required
def tags(request: PersonRequest) -> HttpResponse:
    me = request.person
    if not tag_policy.can_manage_tags(me):
        raise Http404
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tag_services.add_tag(me, form.cleaned_data["name"])
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, "Tag added.")
            return HttpResponseRedirect(reverse("mentoring:tags"))
    return render(
        request,
        "mentoring/tags.html",
        {"form": form, "tags": Tag.objects.visible_to(me)},
        status=422 if form.errors else 200,
    )


# --- programs ----------------------------------------------------------------------


@person_required
def programs(request: PersonRequest) -> HttpResponse:
    me = request.person
    return render(
        request,
        "mentoring/programs.html",
        {
            "programs": Program.objects.visible_to(me),
            "can_manage": policy.can_manage_programs(me),
            "today": timezone.localdate(),
        },
    )


@person_required
def program_new(request: PersonRequest) -> HttpResponse:
    me = request.person
    if not policy.can_manage_programs(me):
        raise Http404
    form = ProgramForm(
        request.POST or None,
        initial={"kind": ProgramKind.COHORT, "objective": "best_total"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program = services.create_program(
                me,
                services.ProgramData(
                    name=data["name"],
                    purpose=data["purpose"],
                    kind=data["kind"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    enrolment_opens=data["enrolment_opens"],
                    enrolment_closes=data["enrolment_closes"],
                    objective=data["objective"],
                    min_score=data["min_score"],
                    allow_repeats=data["allow_repeats"],
                    weights={name: data[name] for name in WEIGHT_FIELDS},
                ),
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, "Program created. People can enrol while the window is open.")
            return HttpResponseRedirect(reverse("mentoring:program", args=[program.slug]))
    return render(
        request,
        "mentoring/program_new.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@person_required
def program_settings(request: PersonRequest, slug: str) -> HttpResponse:
    """A program admin changes the program's settings: dates, matching's aim,
    minimum score and weights. Several admins may have it open at once: a save
    against settings changed since answers 409, both versions on the page."""
    me = request.person
    program = policy.get_managed_program_for(me, slug)
    if request.method != "POST":
        form = ProgramSettingsForm(initial=ProgramSettingsForm.initial_for(program))
        return render(request, "mentoring/program_settings.html", _settings_page(program, form))
    form = ProgramSettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_program(
                me,
                program,
                services.ProgramData(
                    name=data["name"],
                    purpose=data["purpose"],
                    kind=program.kind,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    enrolment_opens=data["enrolment_opens"],
                    enrolment_closes=data["enrolment_closes"],
                    objective=data["objective"],
                    min_score=data["min_score"],
                    allow_repeats=data["allow_repeats"],
                    weights={name: data[name] for name in WEIGHT_FIELDS},
                ),
                opened=form.opened,
            )
        except Conflict as conflict:
            saved = conflict.current
            return conflict_answer(
                request,
                template="mentoring/program_settings.html",
                context=_settings_page(
                    saved,
                    form.reopened(conflict),
                    conflict=theirs(conflict, form, _settings_of(saved)),
                ),
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, "Saved the program's settings.")
            return HttpResponseRedirect(reverse("mentoring:program", args=[program.slug]))
    # The failed save may have changed the program in memory: the page shows the
    # saved one, with the admin's input in the form.
    saved = Program.objects.get(pk=program.pk)
    return render(
        request, "mentoring/program_settings.html", _settings_page(saved, form), status=422
    )


def _settings_page(program: Program, form: ProgramSettingsForm, **extra: Any) -> dict[str, Any]:
    return {"program": program, "form": form, "thing": "program's settings", **extra}


def _settings_of(program: Program) -> dict[str, Any]:
    return {name: getattr(program, name) for name in services.SETTINGS_FIELDS}


def _program_context(request: PersonRequest, program: Program) -> dict[str, Any]:
    me = request.person
    mine = Enrolment.objects.filter(program=program, person=me).first()
    my_pairs = (
        Match.objects.visible_to(me)
        .filter(program=program)
        .filter(Q(mentee__person=me) | Q(mentor__person=me))
        .select_related("mentee__person", "mentor__person", "engagement")
    )
    today = timezone.localdate()
    return {
        "program": program,
        "mine": mine,
        "my_pairs": my_pairs,
        "can_manage": policy.can_manage_program(me, program),
        "enrolment_open": program.enrolment_open_on(today),
        "counts": dict(program.enrolments.order_by().values_list("role").annotate(n=Count("pk"))),
    }


@person_required
def program_detail(request: PersonRequest, slug: str) -> HttpResponse:
    me = request.person
    program = policy.get_program_for(me, slug)
    context = _program_context(request, program)
    context["form"] = _enrol_form(me, program, context["mine"], request.GET)
    return render(request, "mentoring/program.html", context)


@require_safe
@person_required
def program_mentors(request: PersonRequest, slug: str) -> JsonResponse:
    """The enrol form's mentor pickers' search (``?q=``, two letters at least): at
    most ten of the program's mentors whose name matches, for anyone who sees the
    program (the mentors' names are what a mentee chooses from). Nothing else about
    them: no capacity, no answers."""
    me = request.person
    program = policy.get_program_for(me, slug)
    query = pickers.clean_query(request.GET.get("q"))
    results: list[dict[str, str]] = []
    if query:
        people = (
            Person.objects.filter(
                pk__in=Enrolment.objects.filter(program=program, role=Role.MENTOR).values(
                    "person_id"
                )
            )
            .exclude(pk=me.pk)
            .filter(name__icontains=query)
            .order_by("name", "pk")
            .only("code", "name", "title")[: pickers.SEARCH_LIMIT]
        )
        results = [{"code": str(p.code), "name": p.name, "hint": pickers.hint(p)} for p in people]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response


def _enrol_form(
    me: Any, program: Program, mine: Enrolment | None, search: Mapping[str, str] | None = None
) -> EnrolForm:
    initial: dict[str, Any] = {"role": Role.MENTEE, "years_experience": 0, "outside_team": True}
    if mine is not None:
        initial.update(
            role=mine.role,
            capacity=mine.capacity,
            goals=mine.goals,
            years_experience=mine.years_experience,
            languages=mine.languages,
            utc_offset=mine.utc_offset,
            outside_team=mine.outside_team,
            tags=[t.slug for t in mine.tags.all()],
            goal_tags=[t.slug for t in mine.goal_tags.all()],
            not_with=[str(p.code) for p in mine.not_with.all()],
        )
        for entry in ShortlistEntry.objects.filter(mentee=mine, rank__lte=3).select_related(
            "mentor__person"
        ):
            initial[f"choice_{entry.rank}"] = entry.mentor.person.code
    return EnrolForm(viewer=me, program=program, initial=initial, search=search)


@require_POST
@person_required
def program_enrol(request: PersonRequest, slug: str) -> HttpResponse:
    me = request.person
    program = policy.get_program_for(me, slug)
    form = EnrolForm(request.POST, viewer=me, program=program, search=request.GET)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.enrol(
                me,
                program,
                services.EnrolmentData(
                    role=data["role"],
                    capacity=data["capacity"],
                    goals=data["goals"],
                    tags=list(data["tags"]),
                    goal_tags=list(data["goal_tags"]),
                    years_experience=data["years_experience"],
                    languages=data["languages"],
                    utc_offset=data["utc_offset"],
                    outside_team=data["outside_team"],
                    shortlist=form.shortlist(),
                    not_with=list(data["not_with"]),
                    gender=data["gender"],
                    same_gender=data["same_gender"],
                    forget_sensitive=data["forget_sensitive"],
                ),
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, "You are enrolled. We will let you know your match.")
            return HttpResponseRedirect(reverse("mentoring:program", args=[program.slug]))
    context = _program_context(request, program)
    context["form"] = form
    return render(request, "mentoring/program.html", context, status=422)


# --- the proposal (program admins) -------------------------------------------------

PAIRS_PAGE_SIZE = 25


class _Counted(Paginator):  # type: ignore[type-arg]
    """A paginator told its count when the page's totals already know it (one
    query fewer)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int | None) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count


def _proposal_context(
    request: PersonRequest,
    program: Program,
    *,
    error: str = "",
    params: Mapping[str, str] | None = None,
    move_form: MoveForm | None = None,
    changing: Match | None = None,
) -> dict[str, Any]:
    """One page of the proposal, whatever the program's size: the totals computed by
    the database, a page of pairs (or of the people left unmatched) for the chosen
    filter, and — when a pair's mentor is being changed — that one pair's picker.

    ``params`` are the page's own GET parameters (``show``, ``page``, ``change``); after
    a POST, the ones the form carried back, so the admin stays where they were."""
    me = request.person
    params = params if params is not None else request.GET
    filters = ProposalFilterForm({"show": params.get("show", "")})
    show = filters.cleaned_data["show"] if filters.is_valid() else ""
    pairs = Match.objects.filter(program=program)
    live = pairs.exclude(status=MatchStatus.DECLINED)
    is_live = ~Q(status=MatchStatus.DECLINED)
    totals = pairs.aggregate(
        every=Count("pk"),
        pairs=Count("pk", filter=is_live),
        matched=Count("mentee", distinct=True, filter=is_live),
        pinned_live=Count("pk", filter=is_live & Q(pinned=True)),
        pinned_all=Count("pk", filter=Q(pinned=True)),
        mean=Avg("score", filter=is_live),
        lowest=Min("score", filter=is_live),
        total=Sum("score", filter=is_live),
        proposed=Count("pk", filter=Q(status=MatchStatus.PROPOSED)),
    )
    unmatched = Unmatched.objects.filter(program=program)
    totals["unmatched"] = unmatched.count()
    page_pairs: list[Match] = []
    page_unmatched: list[Unmatched] = []
    if show == "unmatched":
        page = Paginator(
            unmatched.select_related("enrolment__person").order_by("enrolment__person__name", "pk"),
            PAIRS_PAGE_SIZE,
        ).get_page(params.get("page"))
        page_unmatched = list(page.object_list)
    else:
        shown = pairs.select_related("mentee__person", "mentor__person")
        count: int | None = totals["every"]
        if show == "pinned":
            shown = shown.filter(pinned=True).order_by("-round", "status", "-score", "pk")
            count = totals["pinned_all"]
        elif show == "low":
            mean = totals["mean"] or 0.0
            shown = live.select_related("mentee__person", "mentor__person")
            shown = shown.filter(score__lt=mean).order_by("score", "pk")
            count = None
        else:
            shown = shown.order_by("-round", "status", "-score", "pk")
        page = _Counted(shown, PAIRS_PAGE_SIZE, count=count).get_page(params.get("page"))
        page_pairs = list(page.object_list)
    # The gender is encrypted at rest, so the database cannot tell an empty one:
    # answers that say nothing are left out here. Only this page's mentees' answers.
    sensitive = {
        s.enrolment_id: s
        for s in SensitiveAnswer.objects.filter(enrolment_id__in=[p.mentee_id for p in page_pairs])
        if s.gender or s.same_gender
    }
    for pair in page_pairs:
        pair.mentee_wish = sensitive.get(pair.mentee_id)  # type: ignore[attr-defined]
    if changing is None and params.get("change"):
        changing = next((p for p in page_pairs if str(p.code) == params.get("change")), None)
    if changing is not None and changing.status != MatchStatus.PROPOSED:
        changing = None
    if changing is not None and move_form is None:
        move_form = MoveForm(
            viewer=me,
            program=program,
            search=params,
            initial={"mentor": changing.mentor.person.code},
        )
    keep = {"show": show, "page": str(page.number)}
    return {
        "program": program,
        "filters": filters,
        "show": show,
        "keep": keep,
        "keep_query": urlencode({k: v for k, v in keep.items() if v}),
        "page": page,
        "pairs": page_pairs,
        "unmatched": page_unmatched,
        "totals": totals,
        "has_proposed": bool(totals["proposed"]),
        "has_pairs": bool(totals["every"]),
        "changing": changing,
        "move_form": move_form,
        "error": error,
        "is_rotation": program.kind == ProgramKind.ROTATION,
    }


def _record_proposal_reads(request: PersonRequest, context: dict[str, Any]) -> None:
    """The proposal shows program admins what people answered when they enrolled
    (through each pair's score and reasons, why someone was left unmatched) and
    mentees' sensitive answers: a read of each person's enrolment on the page shown,
    and of the sensitive answers it shows, for their access logs. One bulk write per
    kind, whatever the number of people."""
    pairs = context["pairs"]
    shown = [pair.mentee.person for pair in pairs]
    shown += [pair.mentor.person for pair in pairs]
    shown += [row.enrolment.person for row in context["unmatched"]]
    record_reads(request, shown, Kind.ENROLMENT)
    record_reads(
        request,
        [pair.mentee.person for pair in pairs if pair.mentee_wish is not None],
        Kind.SENSITIVE_ANSWERS,
    )


@person_required
def proposal(request: PersonRequest, slug: str) -> HttpResponse:
    """A page of the proposal (see ``_proposal_context``). An unknown filter shows
    every pair and says so (422); a page past the end shows the last one."""
    program = policy.get_managed_program_for(request.person, slug)
    context = _proposal_context(request, program)
    status = 200
    if context["filters"].errors:
        context["error"] = "Choose one of the filters in the list: showing all pairs."
        status = 422
    _record_proposal_reads(request, context)
    return render(request, "mentoring/proposal.html", context, status=status)


@require_safe
@person_required
def proposal_mentors(request: PersonRequest, slug: str) -> JsonResponse:
    """The proposal's mentor picker search (``?q=``, two letters at least): at most
    ten of the program's mentors whose name matches, those with room first, each with
    how many of their places are taken. Program admins only (404 otherwise)."""
    program = policy.get_managed_program_for(request.person, slug)
    query = pickers.clean_query(request.GET.get("q"))
    results: list[dict[str, str]] = []
    if query:
        load = (
            Match.objects.filter(program=program, mentor=OuterRef("pk"))
            .live()
            .order_by()
            .values("mentor")
            .annotate(n=Count("pk"))
            .values("n")
        )
        mentors = (
            Enrolment.objects.filter(program=program, role=Role.MENTOR)
            .filter(person__name__icontains=query)
            .annotate(load=Coalesce(Subquery(load), 0))
            .annotate(
                full=Case(
                    When(load__gte=F("capacity"), then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .select_related("person")
            .order_by("full", "person__name", "pk")[: pickers.SEARCH_LIMIT]
        )
        results = [
            {
                "code": str(m.person.code),
                "name": m.person.name,
                "hint": f"{m.load} of {m.capacity} taken"  # type: ignore[attr-defined]
                + (" · full: swap" if m.full else ""),  # type: ignore[attr-defined]
            }
            for m in mentors
        ]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response


def _kept(request: PersonRequest) -> dict[str, str]:
    """The proposal page's place a POST carried back (filter and page)."""
    return {name: request.POST.get(name, "")[:20] for name in ("show", "page")}


def _proposal_url(program: Program, keep: Mapping[str, str]) -> str:
    query = urlencode({k: v for k, v in keep.items() if v})
    url = reverse("mentoring:proposal", args=[program.slug])
    return f"{url}?{query}" if query else url


def _proposal_answer(
    request: PersonRequest,
    program: Program,
    *,
    ok: bool,
    error: str = "",
    done: str = "",
    move_form: MoveForm | None = None,
    changing: Match | None = None,
) -> HttpResponse:
    """After a POST on the proposal: htmx gets the pairs again (a read, recorded); a
    browser is redirected to the proposal page on success (which records its own
    read) and gets the page with the error otherwise (a read, recorded). Both stay on
    the filter and page the admin was on."""
    keep = _kept(request)
    status = 200 if ok else 422

    def shown(template: str) -> HttpResponse:
        context = _proposal_context(
            request,
            program,
            error=error,
            params=keep,
            move_form=None if ok else move_form,
            changing=None if ok else changing,
        )
        _record_proposal_reads(request, context)
        return render(request, template, context, status=status)

    def browser() -> HttpResponse:
        if not ok:
            return shown("mentoring/proposal.html")
        if done:
            messages.success(request, done)
        return HttpResponseRedirect(_proposal_url(program, keep))

    return respond(request, htmx=lambda: shown("mentoring/proposal.html#pairs"), browser=browser)


@require_POST
@person_required
def proposal_run(request: PersonRequest, slug: str) -> HttpResponse:
    program = policy.get_managed_program_for(request.person, slug)
    try:
        result = services.run_matching(request.person, program)
    except ValidationError as error:
        return _proposal_answer(request, program, ok=False, error=" ".join(error.messages))
    done = (
        f"Matching proposed {len(result.pairs)} pairs; "
        f"{len(result.unmatched)} unmatched. Review them, then publish."
    )
    return _proposal_answer(request, program, ok=True, done=done)


@require_POST
@person_required
def proposal_publish(request: PersonRequest, slug: str) -> HttpResponse:
    program = policy.get_managed_program_for(request.person, slug)
    try:
        count = services.publish(request.person, program)
    except ValidationError as error:
        return _proposal_answer(request, program, ok=False, error=" ".join(error.messages))
    messages.success(request, f"Published {count} pairs. Each person is asked to accept.")
    return _proposal_answer(request, program, ok=True)


@require_POST
@person_required
def match_pin(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    match = policy.get_match_for(me, code)
    if not policy.can_manage_program(me, match.program):
        raise Http404
    try:
        services.pin_match(me, match, pinned=request.POST.get("pinned") == "1")
    except ValidationError as error:
        return _proposal_answer(request, match.program, ok=False, error=" ".join(error.messages))
    return _proposal_answer(request, match.program, ok=True)


@require_POST
@person_required
def match_move(request: PersonRequest, code: UUID) -> HttpResponse:
    """Another mentor for a proposed pair (chosen in the pair's picker), or a swap
    with one of a full mentor's mentees. A refusal shows the picker again, with why."""
    me = request.person
    match = policy.get_match_for(me, code)
    program = match.program
    if not policy.can_manage_program(me, program):
        raise Http404
    form = MoveForm(request.POST, viewer=me, program=program)
    if not form.is_valid():
        return _proposal_answer(
            request,
            program,
            ok=False,
            error="Choose a mentor enrolled in this program.",
            move_form=form,
            changing=match,
        )
    try:
        services.move_mentee(me, match, form.enrolment(), swap=request.POST.get("action") == "swap")
    except ValidationError as error:
        return _proposal_answer(
            request,
            program,
            ok=False,
            error=" ".join(error.messages),
            move_form=form,
            changing=match,
        )
    return _proposal_answer(
        request, program, ok=True, done="Changed, and pinned so that a re-run keeps it."
    )


@require_POST
@person_required
def match_answer(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    match = policy.get_match_for(me, code)
    if not policy.can_answer_match(me, match):
        messages.info(request, "This pair has already been answered.")
        return HttpResponseRedirect(reverse("mentoring:program", args=[match.program.slug]))
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        # Declining is final, so a post that says neither (stale, mangled or forged)
        # changes nothing and says so.
        messages.error(request, "Choose accept or decline.")
        program = match.program
        context = _program_context(request, program)
        context["form"] = _enrol_form(me, program, context["mine"])
        return render(request, "mentoring/program.html", context, status=422)
    try:
        services.answer_match(me, match, accept=decision == "accept")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if match.status == MatchStatus.ACCEPTED and match.engagement is not None:
            messages.success(request, "Both of you said yes: your mentoring has started.")
            return HttpResponseRedirect(
                reverse("coaching:engagement", args=[match.engagement.code])
            )
        messages.success(request, "Thank you: your answer is saved.")
    return HttpResponseRedirect(reverse("mentoring:program", args=[match.program.slug]))
