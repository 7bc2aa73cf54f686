"""The framework pages as a person reads them: the grid of one track by area, the
track switcher, a cell's behaviours on demand, the assess form beside the
competency (a page of its own, or a row in the grid with htmx), and a person's
assessments per framework with their history a page at a time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.tests.factories import make_engagement
from cairn.mastery import services
from cairn.mastery.models import Assessment, Competency, Scale, Stage
from cairn.mastery.tests.grid_factories import Built, build_framework
from cairn.testing import Cast, client_for, html, htmx
from cairn.testing.accessibility import problems

pytestmark = pytest.mark.django_db


def grid_url(built: Built, query: str = "") -> str:
    return reverse("mastery:framework", args=[built.framework.code]) + query


def assess_url(built: Built, competency: Competency, query: str = "") -> str:
    return reverse("mastery:framework-assess", args=[built.framework.code, competency.key]) + query


def person_url(built: Built, cast: Cast, query: str = "") -> str:
    return (
        reverse("mastery:person-framework", args=[cast.report.code, built.framework.code]) + query
    )


# --- the grid --------------------------------------------------------------------------


def test_the_grid_shows_competencies_by_area_against_the_tracks_levels(cast: Cast) -> None:
    built = build_framework(cast.org, competencies=3, levels=3, behaviours=2, areas=2)
    page = html(client_for(cast.report).get(grid_url(built)))
    # Areas as row headers, levels as column headers with their code and grade.
    assert page.count('scope="rowgroup"') == 2
    assert "Grid area 0" in page
    assert "Grid area 1" in page
    for n in (1, 2, 3):
        assert f"Engineer {n}" in page
        assert f'<span class="level-code">IC{n}</span>' in page
        assert f"grade {n}" in page
    # The first track by default: not the manager's levels.
    assert "Lead 3" not in page
    # Each cell counts its behaviours and starts the first; the rest wait to be asked.
    assert page.count('<span class="count">2</span>') == 3 * 3
    assert "grid behaviour 0 of competency-0 at ic1" in page
    assert "grid behaviour 1 of competency-0 at ic1" not in page
    # Its version, and the files it exports to.
    assert "Version 1" in page
    for fmt in ("yaml", "csv", "xlsx"):
        url = reverse("mastery:framework-export", kwargs={"code": built.framework.code, "fmt": fmt})
        assert f'href="{url}"' in page
    # The framework's description as sanitised Markdown.
    assert "<strong>grid framework</strong>" in page
    assert "<script>alert(1)</script>" not in page


def test_the_track_switcher_shows_another_tracks_levels(cast: Cast) -> None:
    built = build_framework(cast.org)
    client = client_for(cast.report)
    page = html(client.get(grid_url(built, "?track=manager")))
    assert '<span class="level-code">M3</span>' in page
    assert "Engineer 1" not in page
    assert 'href="?track=manager" hx-get="?track=manager"' in page
    assert 'aria-current="page">Manager</a>' in page
    # htmx gets the grid alone, to swap in place.
    partial = html(htmx(client).get(grid_url(built, "?track=manager")))
    assert partial.lstrip().startswith('<div id="framework-grid"')
    assert "<html" not in partial
    assert "M3" in partial
    # An unknown track is the first one, not an error.
    assert "Engineer 1" in html(client.get(grid_url(built, "?track=nonsense")))


def test_retired_items_are_hidden_until_asked_for(cast: Cast) -> None:
    built = build_framework(cast.org)
    retired = built.competencies[1]
    retired.retired_at = timezone.now()
    retired.save(update_fields=["retired_at"])
    level = built.ic_levels[2]
    level.retired_at = timezone.now()
    level.save(update_fields=["retired_at"])
    client = client_for(cast.report)
    page = html(client.get(grid_url(built)))
    assert "Grid competency 1" not in page
    assert "Engineer 3" not in page
    assert "Show retired competencies and levels" in page
    page = html(client.get(grid_url(built, "?track=ic&retired=1")))
    assert "Grid competency 1" in page
    assert "Engineer 3" in page
    assert page.count('<span class="badge">retired</span>') == 2
    # A retired competency takes no new assessment: no Assess link in its row.
    assert assess_url(built, retired) not in page


def test_a_big_framework_stays_a_small_page(cast: Cast) -> None:
    # 40 competencies, 8 levels, 3 behaviours each: 960 behaviours, none on the page.
    built = build_framework(cast.org, competencies=40, levels=8, behaviours=3, areas=5)
    response = client_for(cast.report).get(grid_url(built))
    assert response.status_code == 200
    assert len(response.content) < 100_000, len(response.content)
    assert html(response).count('class="cell"') == 40 * 8


def test_a_cells_behaviours_open_on_demand(cast: Cast) -> None:
    built = build_framework(cast.org)
    competency, level = built.competencies[0], built.ic_levels[1]
    url = reverse("mastery:framework-cell", args=[built.framework.code, competency.key, level.key])
    client = client_for(cast.report)
    # The grid links each cell to its behaviours.
    assert f"{url}?track=ic" in html(client.get(grid_url(built)))
    page = html(client.get(url + "?track=ic"))
    assert "grid behaviour 0 of competency-0 at ic2" in page
    assert "grid behaviour 1 of competency-0 at ic2" in page
    assert "example of competency-0 at ic2" in page
    assert "<em>in Markdown</em>" in page  # the competency's and level's descriptions
    # htmx gets the behaviours alone, for the cell.
    partial = html(htmx(client).get(url + "?track=ic"))
    assert partial.lstrip().startswith('<div class="cell-behaviours">')
    assert "grid behaviour 1 of competency-0 at ic2" in partial
    # A level named with the wrong track, or of another framework: 404.
    assert client.get(url + "?track=manager").status_code == 404
    unknown = reverse(
        "mastery:framework-cell", args=[built.framework.code, "no-such-thing", level.key]
    )
    assert client.get(unknown + "?track=ic").status_code == 404


# --- assessing beside the competency ------------------------------------------------------


def test_the_assess_page_shows_the_competency_level_by_level_beside_the_form(
    cast: Cast,
) -> None:
    built = build_framework(cast.org)
    competency = built.competencies[0]
    client = client_for(cast.report)
    page = html(client.get(assess_url(built, competency, "?track=ic")))
    assert "Assess Grid competency 0" in page
    assert "grid behaviour 1 of competency-0 at ic3" in page
    assert "IC2 · Engineer 2" in page  # the level choices, with their codes
    assert "Lead 3" not in page  # only the chosen track's levels
    assert 'name="stage"' not in page  # no scale, no stage
    # From the grid, each competency's row opens it.
    assert assess_url(built, competency, "?track=ic") in html(client.get(grid_url(built)))


def test_assessing_yourself_records_the_level_and_goes_back_to_the_grid(cast: Cast) -> None:
    built = build_framework(cast.org)
    competency, level = built.competencies[1], built.ic_levels[1]
    client = client_for(cast.report)
    response = client.post(
        assess_url(built, competency),
        {"track": "ic", "person": cast.report.code, "level": level.code, "evidence": "Shipped"},
    )
    assert response.status_code == 302
    assert response["Location"] == grid_url(built, "?track=ic#competency-competency-1")
    assessment = Assessment.objects.get(person=cast.report)
    assert (assessment.competency, assessment.level, assessment.assessor) == (
        competency,
        level,
        cast.report,
    )
    assert "Assessment of Grid competency 1 recorded for Riley Report." in html(
        client.get(response["Location"])
    )


def test_with_htmx_the_form_opens_and_answers_in_the_grids_row(cast: Cast) -> None:
    built = build_framework(cast.org)
    competency, level = built.competencies[0], built.manager_levels[0]
    client = htmx(client_for(cast.report))
    row = html(client.get(assess_url(built, competency, "?track=manager")))
    assert row.lstrip().startswith('<tr id="assess-competency-0" class="assess-row">')
    assert 'hx-post="' in row
    assert 'hx-target="#assess-competency-0"' in row
    answer = client.post(
        assess_url(built, competency),
        {"track": "manager", "person": cast.report.code, "level": level.code, "evidence": "Led"},
    )
    assert answer.status_code == 200
    assert html(answer).lstrip().startswith('<tr id="assess-competency-0"')
    assert "recorded for Riley Report" in html(answer)
    assert Assessment.objects.get(person=cast.report).level == level


def test_a_coach_assesses_their_coachee_by_stage_where_the_competency_has_a_scale(
    cast: Cast,
) -> None:
    built = build_framework(cast.org, scale=True)
    make_engagement(cast.coach, cast.report)
    competency, stage = built.competencies[0], built.stages[2]
    client = client_for(cast.coach)
    page = html(client.get(assess_url(built, competency, f"?person={cast.report.code}")))
    assert "Evangelises" in page
    assert f'<option value="{cast.report.code}" selected>Riley Report</option>' in page
    response = client.post(
        assess_url(built, competency),
        {"track": "ic", "person": cast.report.code, "stage": stage.code, "evidence": "Talks"},
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(person=cast.report)
    assert (assessment.stage, assessment.level, assessment.assessor) == (stage, None, cast.coach)


def test_assessing_from_the_persons_page_goes_back_to_it_without_javascript(
    cast: Cast,
) -> None:
    built = build_framework(cast.org)
    make_engagement(cast.coach, cast.report)
    competency, level = built.competencies[0], built.ic_levels[0]
    client = client_for(cast.coach)
    # The person's page links each competency's form with the person named ...
    person_page = html(client.get(person_url(built, cast, "?track=ic")))
    link = assess_url(built, competency, f"?track=ic&amp;person={cast.report.code}")
    assert f'href="{link}"' in person_page
    # ... and that form posts back to the person's page, not to the grid.
    form = html(client.get(assess_url(built, competency, f"?track=ic&person={cast.report.code}")))
    assert f'action="{assess_url(built, competency, "?back=person")}"' in form
    response = client.post(
        assess_url(built, competency, "?back=person"),
        {"track": "ic", "person": cast.report.code, "level": level.code, "evidence": "Shipped"},
    )
    assert response.status_code == 302
    assert response["Location"] == person_url(built, cast, "?track=ic#competency-competency-0")
    page = html(client.get(response["Location"]))
    assert "Assessment of Grid competency 0 recorded for Riley Report." in page
    assert Assessment.objects.get(person=cast.report).assessor == cast.coach
    # Refused, it stays on the form with its message and the way back.
    refused = client.post(
        assess_url(built, competency, "?back=person"),
        {"track": "ic", "person": cast.report.code, "level": level.code, "evidence": ""},
    )
    assert refused.status_code == 422
    assert f'action="{assess_url(built, competency, "?back=person")}"' in html(refused)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("nothing", "Choose the level shown, or a stage."),
        ("both", "Choose a level or a stage, not both."),
        ("other track", "Choose one of the levels of this track."),
        ("other scale", "Choose one of the stages of this competency&#x27;s scale."),
        ("retired", "Grid competency 0 is retired: it takes no new assessments."),
        ("no evidence", "Say what you saw: evidence is required."),
        ("not coached", "Choose yourself or someone you coach."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    cast: Cast, case: str, message: str
) -> None:
    built = build_framework(cast.org, scale=True)
    competency = built.competencies[0]
    other_scale = Scale.objects.create(framework=built.framework, key="other", name="Other")
    foreign_stage = Stage.objects.create(scale=other_scale, key="x", name="Foreign", rank=0)
    data = {
        "track": "ic",
        "person": str(cast.report.code),
        "level": str(built.ic_levels[0].code),
        "evidence": "Seen",
    }
    if case == "nothing":
        del data["level"]
    elif case == "both":
        data["stage"] = str(built.stages[0].code)
    elif case == "other track":
        data["level"] = str(built.manager_levels[0].code)
    elif case == "other scale":
        del data["level"]
        data["stage"] = str(foreign_stage.code)
    elif case == "retired":
        competency.retired_at = timezone.now()
        competency.save(update_fields=["retired_at"])
    elif case == "no evidence":
        data["evidence"] = " "
    elif case == "not coached":
        data["person"] = str(cast.peer.code)
    for client in (client_for(cast.report), htmx(client_for(cast.report))):
        response = client.post(assess_url(built, competency), data)
        assert response.status_code == 422, case
        assert message in html(response), case
    assert not Assessment.objects.exists()


# --- a person's page per framework --------------------------------------------------------


def _assess(
    built: Built, cast: Cast, by: str, n: int, level: int, days: int, *, stage: bool = False
) -> Assessment:
    actor = getattr(cast, by)
    return Assessment.objects.create(
        person=cast.report,
        assessor=actor,
        competency=built.competencies[n],
        level=None if stage else built.ic_levels[level],
        stage=built.stages[level] if stage else None,
        evidence=f"{by} evidence {n} {level} {days}",
        assessed_at=timezone.now() - dt.timedelta(days=days),
    )


def test_the_persons_page_shows_the_latest_of_each_assessor_named_dated_with_the_track(
    cast: Cast,
) -> None:
    built = build_framework(cast.org, scale=True)
    _assess(built, cast, "report", 0, 0, days=30)
    _assess(built, cast, "report", 0, 1, days=3)
    _assess(built, cast, "coach", 0, 2, days=10)
    _assess(built, cast, "coach", 0, 0, days=40)
    _assess(built, cast, "peer", 1, 1, days=5, stage=True)
    services.share_assessments(cast.report, cast.manager)
    page = html(client_for(cast.manager).get(person_url(built, cast)))
    assert "Assessed against the Individual contributor track" in page
    # The latest self-assessment and each assessor's latest; older ones wait.
    assert "report evidence 0 1 3" in page
    assert "report evidence 0 0 30" not in page
    assert "coach evidence 0 2 10" in page
    assert "coach evidence 0 0 40" not in page
    assert 'IC2 · Engineer 2</strong> <span class="muted">Individual contributor track' in page
    assert "by Cody Coach" in page
    assert "self-assessed" in page
    assert "Specialises" in page  # a stage, by the peer
    when = (timezone.now() - dt.timedelta(days=10)).strftime("%-d %b %Y")
    assert when in page
    assert "Grid competency 2" in page
    assert "Not assessed." in page
    # The track switcher: the manager track's competencies, the same assessments
    # (named with the track of their level); htmx gets the section alone.
    other = html(htmx(client_for(cast.manager)).get(person_url(built, cast, "?track=manager")))
    assert other.lstrip().startswith('<div id="person-framework">')
    assert "Assessed against the Manager track" in other
    assert 'IC2 · Engineer 2</strong> <span class="muted">Individual contributor track' in other


def test_the_history_comes_a_page_at_a_time(cast: Cast) -> None:
    built = build_framework(cast.org)
    for days in range(45):
        _assess(built, cast, "report", 0, days % 3, days=days + 1)
    url = reverse(
        "mastery:person-competency",
        args=[cast.report.code, built.framework.code, "competency-0"],
    )
    client = client_for(cast.report)
    assert f"{url}?track=ic" in html(client.get(person_url(built, cast)))
    first = html(client.get(url))
    assert first.count("report evidence 0") == 20
    assert "report evidence 0 0 1<" in first
    assert f'href="{url}?page=2"' in first
    third = html(client.get(url + "?page=3"))
    assert third.count("report evidence 0") == 5
    assert "Earlier assessments" not in third
    assert client.get(url + "?page=9").status_code == 404
    # htmx gets the list alone, for the competency's history on the framework page.
    partial = html(htmx(client).get(url))
    assert "<html" not in partial
    assert partial.count("report evidence 0") == 20


def test_the_persons_mastery_page_links_to_each_framework(cast: Cast) -> None:
    built = build_framework(cast.org)
    make_engagement(cast.coach, cast.report)
    _assess(built, cast, "coach", 0, 0, days=1)
    page = html(client_for(cast.coach).get(reverse("mastery:person", args=[cast.report.code])))
    assert reverse("mastery:person-framework", args=[cast.report.code, built.framework.code]) in (
        page
    )
    mine = html(client_for(cast.report).get(reverse("mastery:home")))
    assert (
        reverse("mastery:person-framework", args=[cast.report.code, built.framework.code]) in mine
    )


def test_every_framework_page_is_labelled_for_screen_readers(cast: Cast) -> None:
    built = build_framework(cast.org, scale=True)
    _assess(built, cast, "report", 0, 1, days=2)
    competency = built.competencies[0]
    client = client_for(cast.report)
    answers = [
        client.get(grid_url(built)),
        client.get(grid_url(built, "?track=manager&retired=1")),
        client.get(
            reverse("mastery:framework-cell", args=[built.framework.code, "competency-0", "ic1"])
            + "?track=ic"
        ),
        client.get(assess_url(built, competency)),
        client.get(person_url(built, cast)),
        client.get(
            reverse(
                "mastery:person-competency",
                args=[cast.report.code, built.framework.code, competency.key],
            )
        ),
        # The assess page with its errors, without JavaScript.
        client.post(assess_url(built, competency), {"track": "ic", "evidence": ""}),
    ]
    for response in answers:
        assert response.status_code in (200, 422)
        assert problems(html(response)) == [], response.request["PATH_INFO"]
