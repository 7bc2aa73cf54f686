from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cairn.lib.htmx import render_page, respond
from cairn.library import policy, services
from cairn.library.forms import QuestionForm, ReviewForm, StoryForm
from cairn.library.models import (
    MAX_TAGS,
    HiddenQuestion,
    Question,
    Review,
    Story,
    StoryStatus,
    StoryVersion,
)
from cairn.library.modes import looks_like_advice, offers_stories, reminds_about_advice
from cairn.library.rendering import render_markdown
from cairn.library.search import search_stories
from cairn.library.suggestions import questions_for_section, related_stories, stories_for_session
from cairn.people.decorators import PersonRequest, person_required
from cairn.tags import services as tag_services
from cairn.tags.forms import TagForm
from cairn.tags.models import Tag
from cairn.trust.models import Kind
from cairn.trust.services import record_read

PAGE_SIZE = 20
MINE_LIMIT = 20
QUERY_MAX = 200

INTENT_DRAFT, INTENT_SUBMIT, INTENT_PUBLISH = "draft", "submit", "publish"


# --- the library -----------------------------------------------------------------------


@person_required
def library(request: PersonRequest) -> HttpResponse:
    """Published stories of my organisation: searched, filtered by tags, in pages; and
    my own unpublished stories, and the review queue for reviewers."""
    me = request.person
    reviewer = policy.is_reviewer(me)
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    tags = list(Tag.objects.visible_to(me))
    known = {tag.slug for tag in tags}
    selected = [slug for slug in dict.fromkeys(request.GET.getlist("tag")) if slug in known]
    selected = selected[:MAX_TAGS]

    stories: QuerySet[Story] = (
        Story.objects.visible_to(me, reviewer=reviewer).published().tagged(selected)
    )
    stories = stories.select_related("author").prefetch_related("tags")
    # A search pages through the full-text index: the page's ids and the count from
    # one query to the index, then one query for that page's rows (see ``search.py``).
    number = request.GET.get("page")
    page = (
        search_stories(stories, query).page(number, PAGE_SIZE)
        if query
        else Paginator(stories, PAGE_SIZE).get_page(number)
    )
    keep = urlencode([("q", query)] * bool(query) + [("tag", slug) for slug in selected])
    context: dict[str, Any] = {
        "page": page,
        "query": query,
        "tags": tags,
        "selected": selected,
        "keep": keep,
        "reviewer": reviewer,
    }

    def mine_and_waiting() -> dict[str, Any]:
        return {
            "mine": Story.objects.filter(author=me)
            .exclude(status=StoryStatus.PUBLISHED)
            .order_by("-updated_at")[:MINE_LIMIT],
            "waiting": _review_queue(request).count() if reviewer else 0,
        }

    return render_page(
        request, "library/library.html", "results", context, page_only=mine_and_waiting
    )


def _review_queue(request: PersonRequest) -> Any:
    me = request.person
    return (
        Story.objects.visible_to(me, reviewer=True)
        .filter(status=StoryStatus.IN_REVIEW)
        .exclude(author=me)
        .select_related("author")
        .order_by("submitted_at", "id")
    )


@person_required
def review_queue(request: PersonRequest) -> HttpResponse:
    """Stories waiting for a reviewer: reviewers only, anyone else gets 404."""
    if not policy.is_reviewer(request.person):
        raise Http404
    page = Paginator(_review_queue(request), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "library/reviews.html", {"page": page})


# --- a story ---------------------------------------------------------------------------


def _story_context(
    request: PersonRequest, story: Story, reviewer: bool, **extra: Any
) -> dict[str, Any]:
    me = request.person
    tags = list(story.tags.all())
    is_author = policy.is_author(me, story)
    can_review = policy.can_review(me, story, reviewer=reviewer)
    context: dict[str, Any] = {
        "story": story,
        "tags": tags,
        "problem": render_markdown(story.problem),
        "actions": render_markdown(story.actions),
        "lessons": render_markdown(story.lessons),
        "is_author": is_author,
        "can_edit": policy.can_edit(me, story),
        "can_submit": policy.can_submit(me, story),
        "can_publish": is_author
        and story.status != StoryStatus.PUBLISHED
        and policy.publishes_without_review(me),
        "can_review": can_review,
        "can_see_history": policy.can_see_history(me, story, reviewer=reviewer),
        "related": related_stories(me, story, tags) if story.is_published else [],
        "reviews": [
            (
                review,
                render_markdown(review.strengths),
                render_markdown(review.questions),
                render_markdown(review.comments),
            )
            for review in Review.objects.visible_to(me)
            .filter(story=story)
            .select_related("reviewer")
        ],
    }
    if can_review:
        context["review_form"] = extra.pop("review_form", None) or ReviewForm()
    context.update(extra)
    return context


@person_required
def story_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    reviewer = policy.is_reviewer(me)
    story = policy.get_story_for(me, code, reviewer=reviewer)
    _record_unpublished_read(request, story)
    return render(request, "library/story.html", _story_context(request, story, reviewer))


def _record_unpublished_read(request: PersonRequest, story: Story) -> None:
    """A story that is not published is its author's and, once submitted, the
    reviewers': a reviewer's read of it goes into the author's access log. (A
    published story is the organisation's to read; the author's own reads, nothing.)"""
    if not story.is_published:
        record_read(request, story.author, Kind.STORY)


def _intents(request: PersonRequest, story: Story | None) -> dict[str, str]:
    """What the author may do with a story when saving it, by button."""
    autonomous = policy.publishes_without_review(request.person)
    if story is not None and story.is_published:
        # A revision of a published story stays published for a publisher, and goes
        # back to review for anyone else.
        if autonomous:
            return {INTENT_PUBLISH: "Save changes"}
        return {INTENT_SUBMIT: "Submit the revision for review"}
    if autonomous:
        return {INTENT_DRAFT: "Save draft", INTENT_PUBLISH: "Publish"}
    return {INTENT_DRAFT: "Save draft", INTENT_SUBMIT: "Submit for review"}


def _save_story(request: PersonRequest, story: Story | None) -> HttpResponse:
    """Write or revise a story, then do what the pressed button says. A button the
    author does not have (a forged "publish") is refused before anything is saved."""
    me = request.person
    intents = _intents(request, story)
    form = StoryForm(request.POST or None, viewer=me, initial=_initial(story))
    if request.method == "POST":
        intent = request.POST.get("intent", INTENT_DRAFT)
        if intent not in intents:
            raise PermissionDenied
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("title", "problem", "actions", "lessons")}
            try:
                with transaction.atomic():
                    if story is None:
                        story = services.write_story(
                            me, tags=list(form.cleaned_data["tags"]), **data
                        )
                    else:
                        story = services.revise_story(
                            me, story, tags=list(form.cleaned_data["tags"]), **data
                        )
                    if intent == INTENT_SUBMIT and policy.can_submit(me, story):
                        services.submit_story(me, story)
                    elif intent == INTENT_PUBLISH and story.status != StoryStatus.PUBLISHED:
                        services.publish_own_story(me, story)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _saved_message(story))
                return HttpResponseRedirect(reverse("library:story", args=[story.code]))
    status = 422 if form.is_bound else 200
    return render(
        request,
        "library/story_form.html",
        {"form": form, "story": story, "intents": intents},
        status=status,
    )


def _initial(story: Story | None) -> dict[str, Any]:
    if story is None:
        return {}
    return {
        "title": story.title,
        "problem": story.problem,
        "actions": story.actions,
        "lessons": story.lessons,
        "tags": [tag.slug for tag in story.tags.all()],
    }


def _saved_message(story: Story) -> str:
    return {
        StoryStatus.DRAFT: "Draft saved. Only you can read it until you submit it.",
        StoryStatus.IN_REVIEW: "Submitted: a reviewer will read it and get back to you.",
        StoryStatus.RETURNED: "Saved. Submit it again when you are ready.",
        StoryStatus.PUBLISHED: "Published: everyone in your organisation can read it now.",
    }[StoryStatus(story.status)]


@person_required
def story_new(request: PersonRequest) -> HttpResponse:
    return _save_story(request, None)


@person_required
def story_edit(request: PersonRequest, code: UUID) -> HttpResponse:
    story = policy.get_story_for(request.person, code)
    if not policy.can_edit(request.person, story):
        raise PermissionDenied
    return _save_story(request, story)


@require_POST
@person_required
def story_submit(request: PersonRequest, code: UUID) -> HttpResponse:
    story = policy.get_story_for(request.person, code)
    services.submit_story(request.person, story)
    messages.success(request, _saved_message(story))
    return HttpResponseRedirect(reverse("library:story", args=[story.code]))


@require_POST
@person_required
def story_publish(request: PersonRequest, code: UUID) -> HttpResponse:
    """Publish one's own story without review: "publisher" level or above only; the
    service refuses anyone else (403), however the request was made."""
    story = policy.get_story_for(request.person, code)
    services.publish_own_story(request.person, story)
    messages.success(request, _saved_message(story))
    return HttpResponseRedirect(reverse("library:story", args=[story.code]))


@require_POST
@person_required
def story_review(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    reviewer = policy.is_reviewer(me)
    story = policy.get_story_for(me, code, reviewer=reviewer)
    if not policy.can_review(me, story, reviewer=reviewer):
        if policy.was_reviewed_before(me, story, reviewer=reviewer):
            # A second reviewer, or a second click, a moment after the first review:
            # the answer the first got, with where the story now stands.
            messages.info(request, services.ALREADY_REVIEWED)
            return HttpResponseRedirect(reverse("library:story", args=[story.code]))
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_story(me, story, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Published, with your review for the author."
                if story.is_published
                else "Returned to the author with your comments.",
            )
            return HttpResponseRedirect(reverse("library:story", args=[story.code]))
    _record_unpublished_read(request, story)
    context = _story_context(request, story, reviewer, review_form=form)
    return render(request, "library/story.html", context, status=422)


@person_required
def story_history(request: PersonRequest, code: UUID) -> HttpResponse:
    """Every version of a story: its author and the reviewers; 404 for anyone else."""
    me = request.person
    reviewer = policy.is_reviewer(me)
    story = policy.get_story_for(me, code, reviewer=reviewer)
    if not policy.can_see_history(me, story, reviewer=reviewer):
        raise Http404
    # Earlier versions are never public, even of a published story: a reviewer's read
    # of them is the author's to know about.
    record_read(request, story.author, Kind.STORY)
    versions = [
        (v, render_markdown(v.problem), render_markdown(v.actions), render_markdown(v.lessons))
        for v in StoryVersion.objects.visible_to(me).filter(story=story).select_related("saved_by")
    ]
    return render(request, "library/history.html", {"story": story, "versions": versions})


# --- the question bank and the vocabulary -------------------------------------------------


def _bank_context(request: PersonRequest, **extra: Any) -> dict[str, Any]:
    me = request.person
    editor = policy.can_edit_bank(me)
    questions = (
        Question.objects.for_organisation(me.organisation_id)
        if editor
        else Question.objects.visible_to(me)
    )
    hidden = (
        set(
            HiddenQuestion.objects.filter(organisation_id=me.organisation_id).values_list(
                "question_id", flat=True
            )
        )
        if editor
        else set()
    )
    groups: dict[tuple[str, str], list[tuple[Question, bool]]] = {}
    for question in questions.prefetch_related("tags"):
        key = (question.get_framework_display(), question.get_stage_display())
        groups.setdefault(key, []).append((question, question.pk in hidden))
    context: dict[str, Any] = {"groups": groups, "editor": editor}
    if editor:
        context["question_form"] = extra.pop("question_form", None) or QuestionForm()
        context["tag_form"] = extra.pop("tag_form", None) or TagForm()
        context["tags"] = Tag.objects.visible_to(me)
    context.update(extra)
    return context


@person_required
def question_bank(request: PersonRequest) -> HttpResponse:
    return render(request, "library/questions.html", _bank_context(request))


def _bank_editor(request: PersonRequest) -> None:
    # Everyone may read the bank; its editing endpoints do not exist for anyone else.
    if not policy.can_edit_bank(request.person):
        raise Http404


@require_POST
@person_required
def question_add(request: PersonRequest) -> HttpResponse:
    _bank_editor(request)
    form = QuestionForm(request.POST)
    if form.is_valid():
        framework, stage = form.framework_and_stage()
        try:
            services.add_question(
                request.person, framework=framework, stage=stage, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Question added to your organisation's bank.")
            return HttpResponseRedirect(reverse("library:questions"))
    context = _bank_context(request, question_form=form)
    return render(request, "library/questions.html", context, status=422)


@require_POST
@person_required
def question_hide(request: PersonRequest, code: UUID) -> HttpResponse:
    _bank_editor(request)
    question = policy.get_question_for(request.person, code)
    if request.POST.get("hidden") == "0":
        services.show_question(request.person, question)
    else:
        services.hide_question(request.person, question)
    return HttpResponseRedirect(reverse("library:questions") + f"#q-{question.code}")


@require_POST
@person_required
def tag_add(request: PersonRequest) -> HttpResponse:
    _bank_editor(request)
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            tag_services.add_tag(request.person, form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Tag added: authors can choose it now.")
            return HttpResponseRedirect(reverse("library:questions") + "#tags")
    context = _bank_context(request, tag_form=form)
    return render(request, "library/questions.html", context, status=422)


# --- for the session page (coaching app): questions, pins, advice, stories ----------------


def _section(request: PersonRequest) -> int:
    try:
        return max(1, int(request.GET.get("section") or request.POST.get("section") or 1))
    except ValueError:
        return 1


def _questions_context(request: PersonRequest, session: Any, **extra: Any) -> dict[str, Any]:
    section = _section(request)
    can_pin = (
        session.engagement.is_party(request.person)
        and session.engagement.is_open
        and not session.is_completed
    )
    return {
        "session": session,
        "section": section,
        "questions": questions_for_section(request.person, session, section),
        "can_pin": can_pin,
        **extra,
    }


@person_required
def session_questions(request: PersonRequest, code: UUID) -> HttpResponse:
    """Questions for a section of a session's template: parties of the session only,
    404 for anyone else. A page of its own without htmx, a partial with it."""
    session = policy.get_session_for_party(request.person, code)
    context = _questions_context(request, session)
    return render_page(request, "library/session_questions.html", "questions", context)


@require_POST
@person_required
def session_pin(request: PersonRequest, code: UUID) -> HttpResponse:
    """Pin a question from the bank to the session's agenda."""
    me = request.person
    session = policy.get_session_for_party(me, code)
    question = policy.get_question_for(me, request.POST.get("question", ""))
    error = ""
    try:
        services.pin_question(me, session, question)
    except ValidationError as failure:
        error = " ".join(failure.messages)

    def swapped() -> HttpResponse:
        context = _questions_context(
            request, session, pinned=None if error else question, error=error
        )
        response = render(
            request,
            "library/session_questions.html#questions",
            context,
            status=422 if error else 200,
        )
        # The session page can listen for this and refresh its agenda.
        response["HX-Trigger"] = "cairn:agenda-changed"
        return response

    def back_to_agenda() -> HttpResponse:
        # A browser goes to the session's agenda, where the question now is, with a
        # message either way.
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Question pinned to the agenda.")
        return HttpResponseRedirect(reverse("coaching:session", args=[session.code]) + "#agenda")

    return respond(request, htmx=swapped, browser=back_to_agenda)


def _advice_dismissed_key(session: Any) -> str:
    return f"library:advice-dismissed:{session.code}"


@require_POST
@person_required
def advice_check(request: PersonRequest, code: UUID) -> HttpResponse:
    """The reminder that a coaching engagement asks rather than tells, when the note
    being written (``body``) reads like advice; an empty answer otherwise. Only the
    coach (the giver) of a coaching-mode engagement is reminded, and not again once
    they have dismissed it for this session. Never blocks anything."""
    me = request.person
    session = policy.get_session_for_party(me, code)
    engagement = session.engagement
    show = (
        reminds_about_advice(engagement)
        and engagement.giver_id == me.pk
        and not request.session.get(_advice_dismissed_key(session))
        and looks_like_advice(request.POST.get("body", "")[:10_000])
    )
    return render(request, "library/advice.html#advice", {"session": session, "show": show})


@require_POST
@person_required
def advice_dismiss(request: PersonRequest, code: UUID) -> HttpResponse:
    session = policy.get_session_for_party(request.person, code)
    request.session[_advice_dismissed_key(session)] = True
    # htmx swaps the reminder out for nothing; a browser goes back to the notes.
    return respond(
        request,
        htmx=lambda: HttpResponse(""),
        browser=lambda: HttpResponseRedirect(
            reverse("coaching:session", args=[session.code]) + "#notes"
        ),
    )


@person_required
def session_stories(request: PersonRequest, code: UUID) -> HttpResponse:
    """Stories for a mentoring session's topics: parties only, 404 for anyone else;
    nothing for engagements of other modes."""
    me = request.person
    session = policy.get_session_for_party(me, code)
    stories = stories_for_session(me, session) if offers_stories(session.engagement) else []
    context = {"session": session, "related": stories}
    return render_page(request, "library/session_stories.html", "stories", context)
