from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from cairn.testing.cast import Cast
from cairn.trust.models import AccessRecord, Kind
from cairn.trust.services import record_read, record_reads

pytestmark = pytest.mark.django_db


def _request(path: str, person=None, user=None):
    request = RequestFactory().get(path)
    if person is not None:
        request.person = person  # type: ignore[attr-defined]
    request.user = user or (person.user if person else AnonymousUser())
    return request


def test_a_read_by_someone_else_records_who_what_when_and_where(cast: Cast) -> None:
    row = record_read(
        _request("/growth/shared/x/", cast.manager), cast.report, Kind.DEVELOPMENT_PLAN
    )
    assert row is not None
    assert (row.owner, row.reader, row.reader_name, row.kind, row.via) == (
        cast.report,
        cast.manager,
        cast.manager.name,
        Kind.DEVELOPMENT_PLAN,
        "/growth/shared/x/",
    )
    assert row.organisation_id == cast.org.pk


def test_a_read_by_the_author_records_nothing(cast: Cast) -> None:
    assert (
        record_read(_request("/growth/plan/", cast.report), cast.report, Kind.DEVELOPMENT_PLAN)
        is None
    )
    assert record_reads(_request("/x/", cast.report), [cast.report], Kind.OBJECTIVE) == 0
    assert not AccessRecord.objects.exists()


def test_a_superuser_without_a_person_is_named_by_account(cast: Cast, django_user_model) -> None:
    root = django_user_model.objects.create_superuser(
        "root", "root@example.org", "pw-long-enough-1"
    )
    row = record_read(_request("/admin/x/", user=root), cast.report, Kind.ADMIN_ROWS)
    assert row is not None
    assert row.reader is None
    assert row.reader_name == "Django superuser root"


def test_a_list_records_each_owner_once(cast: Cast) -> None:
    request = _request("/mentoring/programs/x/", cast.program_admin)
    assert record_reads(request, [cast.report, cast.peer, cast.report], Kind.ENROLMENT) == 2
    assert set(AccessRecord.objects.values_list("owner_id", flat=True)) == {
        cast.report.pk,
        cast.peer.pk,
    }


def test_only_the_owner_sees_their_records(cast: Cast) -> None:
    record_read(_request("/x/", cast.manager), cast.report, Kind.MISSION_STATEMENT)
    assert AccessRecord.objects.visible_to(cast.report).count() == 1
    for who in (cast.manager, cast.admin, cast.hr, cast.outsider):
        assert not AccessRecord.objects.visible_to(who).exists()
