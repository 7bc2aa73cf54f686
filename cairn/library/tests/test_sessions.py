"""What the library gives the live session page: questions for the section in
progress (with a pin to the agenda), and stories for a mentoring session."""

from __future__ import annotations

from django.urls import reverse

from cairn.coaching import services as coaching
from cairn.coaching.models import AgendaItem, EngagementKind, Session, SessionTemplate
from cairn.coaching.tests.factories import make_agenda_item, make_engagement, make_session
from cairn.library import services
from cairn.library.models import Question, StoryStatus
from cairn.library.suggestions import (
    questions_for_section,
    stage_for_section,
    stories_for_session,
)
from cairn.library.tests.factories import Library, make_story
from cairn.mastery.tests.factories import grant
from cairn.testing import Cast, client_for

GOAL = "What would you like to have when we finish today?"


def grow_session(cast: Cast, kind: str = EngagementKind.COACHING) -> Session:
    engagement = make_engagement(cast.coach, cast.report, kind)
    grow = SessionTemplate.objects.get(slug="grow")
    return coaching.schedule_session(cast.coach, engagement, template=grow)


def test_each_section_of_a_builtin_template_gets_its_stages_questions(cast: Cast) -> None:
    session = grow_session(cast)
    goal = questions_for_section(cast.coach, session, 1)
    assert GOAL in [q.text for q in goal]
    assert {(q.framework, q.stage) for q in goal} == {("grow", "goal")}
    will = questions_for_section(cast.coach, session, 4)
    assert {(q.framework, q.stage) for q in will} == {("grow", "will")}
    assert questions_for_section(cast.coach, session, 9) == []
    # Every section of every built-in template has questions to offer.
    for template in SessionTemplate.objects.filter(organisation=None):
        for section in template.sections.all():
            stage = stage_for_section(section, template.slug)
            assert stage is not None, (template.slug, section.title)


def test_questions_partial_is_for_the_parties_only(cast: Cast) -> None:
    session = grow_session(cast)
    url = reverse("library:session-questions", args=[session.code])
    for name, person in cast.everyone().items():
        response = client_for(person).get(url, {"section": 1}, headers={"HX-Request": "true"})
        if name in ("coach", "report"):
            assert response.status_code == 200, name
            assert GOAL in response.content.decode()
            assert 'id="suggested-questions"' in response.content.decode()
            assert "<h1>" not in response.content.decode()  # the partial, not the page
        else:
            assert response.status_code == 404, name
            assert GOAL not in response.content.decode()
    # Without htmx it is a page of its own; a section that is not a number is the first.
    page = client_for(cast.coach).get(url, {"section": "abc"})
    assert page.status_code == 200
    assert "<h1>" in page.content.decode()
    assert GOAL in page.content.decode()


def test_hidden_questions_are_not_suggested(cast: Cast) -> None:
    session = grow_session(cast)
    question = Question.objects.get(text=GOAL, organisation=None)
    services.hide_question(cast.program_admin, question)
    assert question not in questions_for_section(cast.coach, session, 1)


def test_pinning_a_question_puts_it_on_the_agenda(cast: Cast) -> None:
    session = grow_session(cast)
    question = Question.objects.get(text=GOAL, organisation=None)
    url = reverse("library:session-pin", args=[session.code])
    response = client_for(cast.coach).post(
        url, {"question": str(question.code), "section": 1}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Pinned to the agenda" in response.content.decode()
    assert response["HX-Trigger"] == "cairn:agenda-changed"
    assert list(AgendaItem.objects.filter(session=session).values_list("text", flat=True)) == [GOAL]

    # Without JavaScript: back to the session's agenda.
    response = client_for(cast.report).post(url, {"question": str(question.code)})
    assert response.status_code == 302
    assert response["Location"].endswith("#agenda")
    assert AgendaItem.objects.filter(session=session).count() == 2


def test_pins_that_may_not_happen_change_nothing(cast: Cast) -> None:
    session = grow_session(cast)
    question = Question.objects.get(text=GOAL, organisation=None)
    url = reverse("library:session-pin", args=[session.code])
    for name in ("manager", "director", "peer", "admin", "outsider"):
        response = client_for(cast.everyone()[name]).post(url, {"question": str(question.code)})
        assert response.status_code == 404, name
    theirs = Question.objects.create(
        organisation=cast.outsider.organisation,
        key="t",
        framework="grow",
        stage="goal",
        text="Theirs?",
    )
    assert client_for(cast.coach).post(url, {"question": str(theirs.code)}).status_code == 404
    assert client_for(cast.coach).post(url, {"question": "not-a-code"}).status_code == 404
    services.hide_question(cast.program_admin, question)
    hidden = client_for(cast.coach).post(
        url, {"question": str(question.code)}, headers={"HX-Request": "true"}
    )
    assert hidden.status_code == 422
    assert "Choose a question from the list." in hidden.content.decode()
    services.show_question(cast.program_admin, question)
    session.completed_at = session.scheduled_for
    session.save()
    ended = client_for(cast.coach).post(
        url, {"question": str(question.code)}, headers={"HX-Request": "true"}
    )
    assert ended.status_code == 422
    assert "This session has ended" in ended.content.decode()
    assert not AgendaItem.objects.exists()


def test_mentoring_session_shows_stories_for_its_topics(lib: Library) -> None:
    cast = lib.cast
    hiring = make_story(lib.publisher, "Hiring for potential", tag_slugs=["hiring"])
    make_story(lib.publisher, "About on-call", tag_slugs=["incidents"])
    make_story(lib.contributor, "Hiring draft", tag_slugs=["hiring"], status=StoryStatus.DRAFT)
    grant(cast.outsider, "publisher")
    make_story(cast.outsider, "Hiring elsewhere", tag_slugs=["hiring"])
    session = make_session(make_engagement(cast.coach, cast.report, EngagementKind.MENTORING))
    assert stories_for_session(cast.report, session) == []  # an empty agenda: nothing yet
    make_agenda_item(session, cast.report, "How do I get better at hiring?")
    assert [r.story for r in stories_for_session(cast.report, session)] == [hiring]

    url = reverse("library:session-stories", args=[session.code])
    for name, person in cast.everyone().items():
        response = client_for(person).get(url, headers={"HX-Request": "true"})
        if name in ("coach", "report"):
            assert response.status_code == 200
            assert "Hiring for potential" in response.content.decode()
            assert "Hiring draft" not in response.content.decode()
            assert "Hiring elsewhere" not in response.content.decode()
        else:
            assert response.status_code == 404, name
    coaching_session = make_session(make_engagement(cast.coach, cast.peer, EngagementKind.COACHING))
    make_agenda_item(coaching_session, cast.peer, "Hiring worries")
    response = client_for(cast.peer).get(
        reverse("library:session-stories", args=[coaching_session.code])
    )
    assert "Hiring for potential" not in response.content.decode()
    assert "No stories match" in response.content.decode()


def test_an_organisations_own_template_is_matched_by_section_title(cast: Cast) -> None:
    own = SessionTemplate.objects.create(
        slug="acme-career", name="Career chat", description="d", organisation=cast.org
    )
    own.sections.create(position=1, title="Dreams", prompts=[])
    own.sections.create(position=2, title="Anything else", prompts=[])
    engagement = make_engagement(cast.coach, cast.report)
    session = coaching.schedule_session(cast.coach, engagement, template=own)
    dreams = questions_for_section(cast.coach, session, 1)
    assert dreams
    assert {(q.framework, q.stage) for q in dreams} == {("inspire", "dreams")}
    assert questions_for_section(cast.coach, session, 2) == []
