"""The insights pages answer, load their charts' scripts, and refuse what they should."""

from __future__ import annotations

from django.urls import reverse

from cairn.testing import Cast, client_for


def test_my_insights_page_loads_the_chart_scripts_deferred(cast: Cast) -> None:
    response = client_for(cast.report).get(reverse("insights:me"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>My insights</h1>" in page
    assert 'src="/static/vendor/chart.js/chart.umd.min.js" defer' in page
    assert 'src="/static/cairn/charts.js" defer' in page


def test_other_pages_do_not_load_the_chart_scripts(cast: Cast) -> None:
    page = client_for(cast.report).get(reverse("home")).content.decode()
    assert "chart.umd" not in page
    assert f'href="{reverse("insights:me")}">Insights</a>' in page


def test_an_unknown_table_to_download_is_422(cast: Cast) -> None:
    response = client_for(cast.report).get(reverse("insights:me"), {"csv": "nope"})
    assert response.status_code == 422


def test_a_team_page_for_someone_without_reports_is_404(cast: Cast) -> None:
    for person in (cast.report, cast.coach, cast.admin, cast.program_admin):
        assert client_for(person).get(reverse("insights:team")).status_code == 404


def test_an_unknown_table_of_the_team_page_is_422_with_a_message(cast: Cast) -> None:
    response = client_for(cast.manager).get(reverse("insights:team"), {"csv": "salaries"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/plain")
    assert "There is no table of that name on this page" in response.content.decode()


def test_an_empty_page_says_what_to_do_next(cast: Cast) -> None:
    page = client_for(cast.coach).get(reverse("insights:me")).content.decode()
    assert "No agreed one-on-ones or coaching yet." in page
    assert "No action items due yet. Agree one at the end of your next session." in page
    assert "No objectives yet. Add one to your development plan on My growth." in page
    assert "Download" not in page  # no CSV of an empty table
    # The link to the team page is for those with reports only.
    assert reverse("insights:team") not in page
    assert (
        reverse("insights:team")
        in client_for(cast.manager).get(reverse("insights:me")).content.decode()
    )
