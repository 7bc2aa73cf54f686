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
