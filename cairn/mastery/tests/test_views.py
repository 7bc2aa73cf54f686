"""The mastery pages, as the people who use them see them."""

from __future__ import annotations

from django.urls import reverse

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement
from cairn.mastery import services
from cairn.mastery.models import Assessment, Behaviour, Framework, Grant, Ladder, Level
from cairn.mastery.tests.factories import EXAMPLE, grant, import_example
from cairn.testing import Cast, client_for


def test_home_shows_my_levels_with_why(cast: Cast) -> None:
    grant(cast.report, "publisher", by=cast.coach, evidence="Five clear stories about outages")
    page = client_for(cast.report).get(reverse("mastery:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Publisher" in html
    assert "Five clear stories about outages" in html
    assert "Cody Coach" in html


def test_home_for_a_newcomer_says_where_everyone_starts(cast: Cast) -> None:
    html = client_for(cast.peer).get(reverse("mastery:home")).content.decode()
    assert "Candidate" in html
    assert "Where everyone starts" in html
    assert "no competency framework yet" in html


def test_ladder_page_lists_levels_criteria_and_privileges(cast: Cast) -> None:
    html = client_for(cast.peer).get(reverse("mastery:ladder", args=["library"])).content.decode()
    for name in ("Candidate", "Contributor", "Publisher", "Coach"):
        assert name in html
    assert "Publish stories without review" in html


def test_org_admin_defines_a_ladder(cast: Cast) -> None:
    response = client_for(cast.admin).post(
        reverse("mastery:ladder-new"),
        {
            "name": "On-call",
            "description": "Carrying the pager",
            "level_1_name": "Shadow",
            "level_1_criteria": "Follows along on a rota.",
            "level_2_name": "Primary",
            "level_2_criteria": "Ran a rota alone.",
            "level_2_privileges": ["grant_levels"],
        },
    )
    assert response.status_code == 302
    ladder = Ladder.objects.get(organisation=cast.org, slug="on-call")
    assert [level.name for level in ladder.levels.order_by("rank")] == ["Shadow", "Primary"]
    assert ladder.levels.get(rank=1).privilege_values == ["grant_levels"]


def test_ladder_with_one_level_is_refused(cast: Cast) -> None:
    response = client_for(cast.admin).post(
        reverse("mastery:ladder-new"),
        {"name": "On-call", "level_1_name": "Shadow", "level_1_criteria": "x"},
    )
    assert response.status_code == 422
    assert "at least two levels" in response.content.decode()
    assert not Ladder.objects.filter(organisation=cast.org).exists()


def test_ladder_named_like_a_built_in_one_is_refused(cast: Cast) -> None:
    response = client_for(cast.admin).post(
        reverse("mastery:ladder-new"),
        {
            "name": "Library",
            "level_1_name": "A",
            "level_1_criteria": "x",
            "level_2_name": "B",
            "level_2_criteria": "y",
        },
    )
    assert response.status_code == 422
    assert "already a ladder called Library" in response.content.decode()


def test_level_without_criteria_is_refused(cast: Cast) -> None:
    response = client_for(cast.admin).post(
        reverse("mastery:ladder-new"),
        {"name": "Deploy", "level_1_name": "A", "level_2_name": "B", "level_2_criteria": "y"},
    )
    assert response.status_code == 422
    assert "Say what it takes to reach A" in response.content.decode()
    assert not Ladder.objects.filter(organisation=cast.org).exists()


def test_coach_grants_through_the_form(cast: Cast) -> None:
    grant(cast.coach, "coach")
    make_engagement(cast.coach, cast.report)
    level = Level.objects.get(ladder__slug="library", slug="publisher")
    response = client_for(cast.coach).post(
        reverse("mastery:grant"),
        {"person": cast.report.code, "level": level.code, "evidence": "Three stories, no edits"},
    )
    assert response.status_code == 302
    made = Grant.objects.get(person=cast.report)
    assert (made.level, made.granted_by, made.evidence) == (
        level,
        cast.coach,
        "Three stories, no edits",
    )


def test_coach_is_not_offered_their_own_level(cast: Cast) -> None:
    grant(cast.coach, "coach")
    coach_level = Level.objects.get(ladder__slug="library", slug="coach")
    html = client_for(cast.coach).get(reverse("mastery:grant")).content.decode()
    assert str(coach_level.code) not in html
    response = client_for(cast.coach).post(
        reverse("mastery:grant"),
        {"person": cast.report.code, "level": coach_level.code, "evidence": "Ready"},
    )
    assert response.status_code == 422
    assert "Choose one of the levels listed" in response.content.decode()
    assert not Grant.objects.filter(person=cast.report).exists()


def test_grant_form_bad_input_saves_nothing(cast: Cast) -> None:
    level = Level.objects.get(ladder__slug="library", slug="publisher")
    client = client_for(cast.admin)
    for data, message in [
        ({}, "Choose the person."),
        (
            {"person": cast.report.code, "level": level.code, "evidence": "  "},
            "evidence is required",
        ),
        (
            {"person": cast.outsider.code, "level": level.code, "evidence": "x"},
            "Choose one of the people",
        ),
        ({"person": "12", "level": level.code, "evidence": "x"}, "Choose one of the people"),
        ({"person": cast.report.code, "level": level.code, "evidence": "x" * 4001}, "at most 4000"),
    ]:
        response = client.post(reverse("mastery:grant"), data)
        assert response.status_code == 422, data
        assert message in response.content.decode(), data
    assert not Grant.objects.exists()


def test_grant_answers_htmx_with_the_form(cast: Cast) -> None:
    level = Level.objects.get(ladder__slug="library", slug="publisher")
    response = client_for(cast.admin).post(
        reverse("mastery:grant"),
        {"person": cast.report.code, "level": level.code, "evidence": "Good"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<form id="grant-form"')
    assert Grant.objects.filter(person=cast.report, level=level).exists()


def test_people_without_grant_rights_get_404_on_the_grant_page(cast: Cast) -> None:
    grant(cast.peer, "publisher")
    for person in (cast.peer, cast.report, cast.manager, cast.program_admin):
        assert client_for(person).get(reverse("mastery:grant")).status_code == 404


def test_self_and_coach_assess_through_the_framework_page(cast: Cast) -> None:
    framework = import_example(cast.org)
    make_engagement(cast.coach, cast.report)
    competency = framework.competencies.get(name="Delivery")
    level = framework.tracks.get(position=0).levels.get(name="Senior engineer")
    for author in (cast.report, cast.coach):
        response = client_for(author).post(
            reverse("mastery:framework-assess", args=[framework.code, competency.key]),
            {
                "track": level.track.key,
                "person": cast.report.code,
                "level": level.code,
                "evidence": f"evidence by {author.name}",
            },
        )
        assert response.status_code == 302
    assert Assessment.objects.filter(person=cast.report).count() == 2


def test_peer_cannot_assess_someone_they_do_not_coach(cast: Cast) -> None:
    framework = import_example(cast.org)
    competency = framework.competencies.first()
    assert competency is not None
    level = framework.tracks.get(position=0).levels.first()
    assert level is not None
    response = client_for(cast.peer).post(
        reverse("mastery:framework-assess", args=[framework.code, competency.key]),
        {
            "track": level.track.key,
            "person": cast.report.code,
            "level": level.code,
            "evidence": "x",
        },
    )
    assert response.status_code == 422
    assert "Choose yourself or someone you coach" in response.content.decode()
    assert not Assessment.objects.filter(person=cast.report).exists()


def test_level_of_another_track_is_refused(cast: Cast) -> None:
    framework = import_example(cast.org)
    competency = framework.competencies.first()
    other = framework.tracks.get(position=1).levels.first()
    assert competency is not None
    assert other is not None
    first = framework.tracks.get(position=0)
    response = client_for(cast.report).post(
        reverse("mastery:framework-assess", args=[framework.code, competency.key]),
        {
            "track": first.key,
            "person": cast.report.code,
            "level": other.code,
            "evidence": "x",
        },
    )
    assert response.status_code == 422
    assert "Choose one of the levels of this track." in response.content.decode()
    assert not Assessment.objects.filter(person=cast.report).exists()


def test_framework_page_shows_the_structure(cast: Cast) -> None:
    framework = import_example(cast.org)
    html = (
        client_for(cast.peer)
        .get(reverse("mastery:framework", args=[framework.code]))
        .content.decode()
    )
    assert "Building software" in html
    assert "Staff engineer" in html
    # Behaviours are in their cells, on demand: the grid starts the first of each.
    behaviour = Behaviour.objects.select_related("competency", "level__track").get(
        text="Spreads time and opportunities fairly across the whole team."
    )
    cell = reverse(
        "mastery:framework-cell",
        args=[framework.code, behaviour.competency.key, behaviour.level.key],
    )
    page = client_for(cast.peer).get(f"{cell}?track={behaviour.level.track.key}")
    assert behaviour.text in page.content.decode()


def test_example_file_imports(cast: Cast) -> None:
    framework = import_example(cast.org)
    assert framework.name == "Cairn engineering"
    assert Framework.objects.filter(organisation=cast.org).count() == 1
    assert EXAMPLE.exists()
    assert services  # the service module is what import_example used


def test_grant_link_from_a_person_page_preselects_them(cast: Cast) -> None:
    grant(cast.coach, "coach")
    grant(cast.report, "contributor", by=cast.coach)
    page = client_for(cast.coach).get(reverse("mastery:person", args=[cast.report.code]))
    link = f"{reverse('mastery:grant')}?person={cast.report.code}"
    assert link in page.content.decode()
    form = client_for(cast.coach).get(link).content.decode()
    assert f'<option value="{cast.report.code}" selected>' in form


def test_assess_answers_htmx_with_the_form_and_its_errors(cast: Cast) -> None:
    framework = import_example(cast.org)
    competency = framework.competencies.get(name="Delivery")
    response = client_for(cast.report).post(
        reverse("mastery:framework-assess", args=[framework.code, competency.key]),
        {"person": cast.report.code, "evidence": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="assess-{competency.key}"')
    assert "Choose the level shown, or a stage." in html
    assert "evidence is required" in html


def test_coach_trying_to_demote_another_coach_is_told_why(cast: Cast) -> None:
    grant(cast.coach, "coach")
    grant(cast.peer, "coach")
    make_engagement(cast.coach, cast.peer, EngagementKind.MENTORING)
    contributor = Level.objects.get(ladder__slug="library", slug="contributor")
    response = client_for(cast.coach).post(
        reverse("mastery:grant"),
        {"person": cast.peer.code, "level": contributor.code, "evidence": "Hm"},
    )
    assert response.status_code == 422
    assert "at or above your own" in response.content.decode()
    assert Grant.objects.filter(person=cast.peer).count() == 1


def test_a_coach_opens_the_page_of_someone_they_coach_before_writing(cast: Cast) -> None:
    make_engagement(cast.coach, cast.report)
    response = client_for(cast.coach).get(reverse("mastery:person", args=[cast.report.code]))
    assert response.status_code == 200
    assert "No assessments yet" in response.content.decode()


def test_assessment_bad_input_saves_nothing(cast: Cast) -> None:
    framework = import_example(cast.org)
    elsewhere = import_example(cast.outsider.organisation)
    competency = framework.competencies.get(name="Delivery")
    level = framework.tracks.get(position=0).levels.get(name="Engineer")
    foreign = elsewhere.tracks.get(position=0).levels.get(name="Engineer")
    good = {"track": level.track.key, "person": cast.report.code, "level": level.code}
    client = client_for(cast.report)
    url = reverse("mastery:framework-assess", args=[framework.code, competency.key])
    for data, message in [
        ({}, "Choose the level shown, or a stage."),
        ({**good, "evidence": "x" * 4001}, "at most 4000"),
        ({**good, "level": "not-a-code", "evidence": "x"}, "Choose one of the levels"),
        ({**good, "level": foreign.code, "evidence": "x"}, "Choose one of the levels"),
        ({**good, "person": cast.outsider.code, "evidence": "x"}, "someone you coach"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 422, data
        assert message in response.content.decode(), data
    # Another organisation's framework: no such page.
    elsewhere_url = reverse("mastery:framework-assess", args=[elsewhere.code, competency.key])
    assert client.post(elsewhere_url, {**good, "evidence": "x"}).status_code == 404
    assert not Assessment.objects.exists()
