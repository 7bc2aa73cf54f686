"""Updating a framework in place: a file whose key the organisation has already
shows what it would change, and only when confirmed becomes the next version.
Rows are matched by key, so assessments survive renames; what the file no longer
has is retired with its assessments kept; every version is kept."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cairn.mastery import policy, services
from cairn.mastery.frameworks import dump_yaml, parse_framework
from cairn.mastery.models import (
    Assessment,
    Behaviour,
    Competency,
    Framework,
    FrameworkLevel,
    FrameworkVersion,
    Track,
)
from cairn.mastery.services import import_framework_into
from cairn.testing import Cast, client_for, count_queries, html

V1 = """format: cairn.framework/2
key: eng
name: Engineering
competencies:
  - key: delivery
    name: Delivery
  - key: craft
    name: Technical craft
  - key: hiring
    name: Hiring
tracks:
  - key: ic
    name: IC
    levels:
      - key: ic1
        name: Engineer
        behaviours:
          delivery: [Ships small steps., Says when a step slips.]
          craft: [Writes tests.]
          hiring: [Interviews with the agreed questions.]
"""

# Craft renamed, hiring gone, mentoring added, a behaviour changed.
V2 = """format: cairn.framework/2
key: eng
name: Engineering
competencies:
  - key: delivery
    name: Delivery
  - key: craft
    name: Craftsmanship
  - key: mentoring
    name: Mentoring
tracks:
  - key: ic
    name: IC
    levels:
      - key: ic1
        name: Engineer
        behaviours:
          delivery: [Ships small steps., Plans a week ahead.]
          craft: [Writes tests.]
          mentoring: [Pairs with newer engineers.]
"""

URL = "/mastery/frameworks/import/"


def upload(text: str, name: str = "eng.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/yaml")


def imported(cast: Cast, text: str = V1) -> Framework:
    return import_framework_into(cast.org, text.encode(), filename="eng.yaml", actor=cast.admin)


def assessed(cast: Cast, framework: Framework, key: str) -> Assessment:
    return services.record_assessment(
        cast.report,
        cast.report,
        framework.competencies.get(key=key),
        FrameworkLevel.objects.get(track__framework=framework, key="ic1"),
        evidence=f"Evidence about {key}, only the report's.",
    )


# --- the service -----------------------------------------------------------------------


def test_a_rename_keeps_the_assessments(cast: Cast) -> None:
    framework = imported(cast)
    craft = assessed(cast, framework, "craft")
    imported(cast, V2)
    craft.refresh_from_db()
    assert craft.competency.name == "Craftsmanship"
    assert craft.competency.key == "craft"
    assert craft.competency.retired_at is None
    assert Competency.objects.filter(framework=framework, key="craft").count() == 1


def test_a_removed_competency_is_retired_with_its_assessments_kept(cast: Cast) -> None:
    framework = imported(cast)
    hiring = assessed(cast, framework, "hiring")
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC), tick=False):
        imported(cast, V2)
    hiring.refresh_from_db()
    assert hiring.evidence == "Evidence about hiring, only the report's."
    assert hiring.competency.retired_at == dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC)
    # Not offered any more: not to assess, not to work on in coaching.
    grid = html(client_for(cast.report).get(reverse("mastery:framework", args=[framework.code])))
    offered = {
        key for key in ("delivery", "craft", "mentoring", "hiring") if f'id="assess-{key}"' in grid
    }
    assert offered == {"delivery", "craft", "mentoring"}
    with pytest.raises(ValidationError, match="retired"):
        assessed(cast, framework, "hiring")
    # Its behaviours are retired with it; the changed behaviour too.
    assert set(
        Behaviour.objects.filter(retired_at__isnull=False).values_list("text", flat=True)
    ) == {"Interviews with the agreed questions.", "Says when a step slips."}
    # Back in a later version, it is the same competency, with its history.
    imported(cast, V1)
    hiring.refresh_from_db()
    assert hiring.competency.retired_at is None


def test_every_version_is_kept_with_its_file_and_what_changed(cast: Cast) -> None:
    imported(cast)
    framework = imported(cast, V2)
    assert framework.version == 2
    versions = list(framework.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].source == dump_yaml(parse_framework(V1.encode(), filename="f.yaml"))
    assert versions[1].source == dump_yaml(parse_framework(V2.encode(), filename="f.yaml"))
    assert versions[1].imported_by == cast.admin
    assert versions[1].summary == {"added": 3, "renamed": 1, "changed": 1, "removed": 3}


def test_the_diff_names_what_is_added_renamed_changed_and_retired(cast: Cast) -> None:
    imported(cast)
    diff = services.plan_import(cast.org, parse_framework(V2.encode(), filename="f.yaml"))
    assert {(c.what, c.name) for c in diff.added} == {
        ("competency", "Mentoring"),
        ("behaviour", "Plans a week ahead."),
        ("behaviour", "Pairs with newer engineers."),
    }
    assert [(c.what, c.old_name, c.name) for c in diff.renamed] == [
        ("competency", "Technical craft", "Craftsmanship")
    ]
    assert [(c.what, c.name) for c in diff.changed] == [("track", "IC")]
    assert {(c.what, c.name) for c in diff.removed} == {
        ("competency", "Hiring"),
        ("behaviour", "Says when a step slips."),
        ("behaviour", "Interviews with the agreed questions."),
    }


def test_the_same_file_again_changes_nothing_but_the_version(cast: Cast) -> None:
    imported(cast)
    diff = services.plan_import(cast.org, parse_framework(V1.encode(), filename="f.yaml"))
    assert diff.is_empty
    assert imported(cast).version == 2
    assert Competency.objects.count() == 3


def test_a_version_imported_meanwhile_is_not_overwritten(cast: Cast) -> None:
    imported(cast)
    imported(cast, V2)
    with pytest.raises(ValidationError, match="changed while you looked"):
        services.import_framework(cast.admin, V1.encode(), filename="eng.yaml", expected_version=1)
    assert Framework.objects.get().version == 2


# --- the page: the diff first, then the import -------------------------------------------


def test_the_page_shows_the_diff_and_imports_only_when_confirmed(cast: Cast) -> None:
    framework = imported(cast)
    client = client_for(cast.admin)
    response = client.post(URL, {"file": upload(V2)})
    assert response.status_code == 200
    page = html(response)
    assert 'id="diff-added">3<' in page
    assert 'id="diff-renamed">1<' in page
    assert 'id="diff-changed">1<' in page
    assert 'id="diff-removed">3<' in page
    assert "Technical craft → Craftsmanship" in page
    assert "Mentoring" in page
    assert "Hiring" in page
    assert "Import version 2" in page
    # Nothing has changed yet.
    framework.refresh_from_db()
    assert framework.version == 1
    assert not Competency.objects.filter(key="mentoring").exists()
    token = client.session["mastery.pending_import"]["token"]
    assert f'value="{token}"' in page

    response = client.post(URL, {"token": token, "confirmed": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mastery:framework", args=[framework.code])
    framework.refresh_from_db()
    assert framework.version == 2
    assert Competency.objects.get(key="craft").name == "Craftsmanship"
    # The file is gone from the session: the same confirmation again does nothing.
    response = client.post(URL, {"token": token, "confirmed": "yes"})
    assert response.status_code == 422
    assert "no longer waiting" in html(response)
    assert Framework.objects.get().version == 2


def test_a_new_key_imports_at_once(cast: Cast) -> None:
    response = client_for(cast.admin).post(URL, {"file": upload(V1)})
    assert response.status_code == 302
    assert Framework.objects.get().version == 1


def test_without_confirmation_nothing_is_imported(cast: Cast) -> None:
    imported(cast)
    client = client_for(cast.admin)
    client.post(URL, {"file": upload(V2)})
    token = client.session["mastery.pending_import"]["token"]
    response = client.post(URL, {"token": token})
    assert response.status_code == 302
    assert response["Location"] == URL
    assert Framework.objects.get().version == 1


def test_someone_elses_pending_import_cannot_be_confirmed(cast: Cast) -> None:
    imported(cast)
    first = client_for(cast.admin)
    first.post(URL, {"file": upload(V2)})
    token = first.session["mastery.pending_import"]["token"]
    # Another session (the same admin elsewhere) has no such file waiting.
    response = client_for(cast.admin).post(URL, {"token": token, "confirmed": "yes"})
    assert response.status_code == 422
    assert Framework.objects.get().version == 1


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (V2.replace("key: ic1", "key: IC 1"), "Line 15: the level key &quot;IC 1&quot;"),
        (V2.replace("craft: [", "crafts: ["), "behaviours for &quot;crafts&quot;"),
        (V2.replace("name: Engineering", "name: Other"), ""),
        ("format: cairn.framework/2\nkey: eng\n", "this framework has no name"),
    ],
)
def test_bad_files_are_refused_with_the_line_and_nothing_changes(
    cast: Cast, text: str, says: str
) -> None:
    imported(cast)
    other = import_framework_into(
        cast.org,
        V1.replace("key: eng", "key: other").replace("name: Engineering", "name: Other").encode(),
        filename="o.yaml",
    )
    response = client_for(cast.admin).post(URL, {"file": upload(text)})
    assert response.status_code == 422
    page = html(response)
    assert "Nothing was imported." in page
    assert (says or "already exists") in page
    assert list(Framework.objects.order_by("key").values_list("key", "version")) == [
        ("eng", 1),
        ("other", 1),
    ]
    assert other.competencies.count() == 3
    assert Competency.objects.count() == 6
    assert Track.objects.count() == 2
    assert FrameworkVersion.objects.count() == 2


def test_a_file_dropping_a_stage_is_refused(cast: Cast) -> None:
    text = (
        "format: cairn.framework/2\nkey: s\nname: S\nscale: g\n"
        "scales:\n  - key: g\n    name: G\n    stages:\n"
        "      - {key: a, name: A}\n      - {key: b, name: B}\n      - {key: c, name: C}\n"
        "competencies:\n  - {key: x, name: X}\n"
    )
    import_framework_into(cast.org, text.encode(), filename="s.yaml")
    response = client_for(cast.admin).post(
        URL, {"file": upload(text.replace("      - {key: c, name: C}\n", ""))}
    )
    assert response.status_code == 422
    assert "the stage &quot;c&quot; of scale &quot;g&quot; is missing" in html(response)
    assert Framework.objects.get().version == 1


# --- who may: privacy over the cast --------------------------------------------------------


def test_only_the_organisations_admins_see_the_import_and_its_diff(cast: Cast) -> None:
    imported(cast)
    User = get_user_model()
    root = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    superuser = Client()
    superuser.force_login(root)
    clients = {role: client_for(person) for role, person in cast.everyone().items()}
    clients["superuser"] = superuser
    for role, client in clients.items():
        get = client.get(URL)
        post = client.post(URL, {"file": upload(V2)})
        if role == "admin":
            assert (get.status_code, post.status_code) == (200, 200)
            assert "Technical craft → Craftsmanship" in html(post)
            continue
        if role == "outsider":
            # An admin of another organisation: the key is new there, so the file
            # imports as their own framework, and nothing of this one shows.
            assert cast.outsider.is_org_admin
            assert (get.status_code, post.status_code) == (200, 302)
            assert "Technical craft" not in html(client.get(post["Location"]))
            continue
        # A superuser with no person in an organisation is refused before any
        # view runs (people.decorators.person_required), as everywhere.
        refused = (403, 404) if role == "superuser" else (404,)
        assert get.status_code in refused, role
        assert post.status_code in refused, role
        assert "Technical craft" not in html(post), role
    assert Framework.objects.get(organisation=cast.org).version == 1


# --- queries ---------------------------------------------------------------------------


def test_the_diff_page_takes_the_same_queries_at_1_and_50_competencies(cast: Cast) -> None:
    def framework(n: int) -> str:
        competencies = "".join(f"  - key: c{i}\n    name: C{i}\n" for i in range(n))
        behaviours = "".join(f"          c{i}: [B{i}.]\n" for i in range(n))
        return (
            f"format: cairn.framework/2\nkey: q{n}\nname: Q{n}\ncompetencies:\n{competencies}"
            "tracks:\n  - key: t\n    name: T\n    levels:\n      - key: l\n        name: L\n"
            f"        behaviours:\n{behaviours}"
        )

    client = client_for(cast.admin)
    counts = []
    for n in (1, 50):
        import_framework_into(cast.org, framework(n).encode(), filename="q.yaml")
        changed = framework(n).replace("name: L\n", "name: Level\n").replace("[B", "[New B")

        def dry_run(text: str = changed) -> None:
            assert client.post(URL, {"file": upload(text)}).status_code == 200

        counts.append(count_queries(dry_run))
    assert counts[0] == counts[1] <= 25, counts


def test_an_import_is_timed_by_the_clock(cast: Cast) -> None:
    when = dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC)
    with time_machine.travel(when, tick=False):
        framework = imported(cast)
    assert framework.imported_at == when
    assert framework.versions.get().imported_at == when
    assert policy.can_import_frameworks(cast.admin)
