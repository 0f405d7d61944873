"""Short ids for records created offline: reserved in blocks while online, never handed out twice,
never taken by a server-minted id, usable only by the user (and record type) they were reserved for."""

from __future__ import annotations

import pytest
from kinga.audit.models import AuditEvent
from kinga.core.errors import Conflict, KingaError
from kinga.records import actions, shortids
from kinga.records.models import Record, ShortIdReservation

BASE = "/api/v1/records/case/"


def test_the_two_halves_never_overlap():
    for _ in range(2000):
        assert not shortids.in_reserved_half(shortids.mint("CA"))
        reserved = shortids.mint("CA", reserved=True)
        assert shortids.in_reserved_half(reserved) and shortids.is_valid(reserved)
    assert not shortids.in_reserved_half("not an id")


def test_reserve_then_create_offline(case_config, worker):
    ids = actions.reserve_short_ids(user=worker, record_type="case", count=50)
    assert len(set(ids)) == 50 and all(i.startswith("CA-") and shortids.is_valid(i) for i in ids)
    assert ShortIdReservation.objects.filter(user=worker, used_at__isnull=True).count() == 50
    assert AuditEvent.objects.filter(action="short_id.reserve", details__count=50).exists()
    # a second block shares nothing with the first
    more = actions.reserve_short_ids(user=worker, record_type="case", count=50)
    assert not set(ids) & set(more)
    record = actions.create_record(user=worker, record_type="case", data={"name_first": "A"}, short_id=ids[0])
    assert record.short_id == ids[0]
    assert ShortIdReservation.objects.get(short_id=ids[0]).used_at is not None
    with pytest.raises(Conflict):  # the same id again (a replayed offline save)
        actions.create_record(user=worker, record_type="case", data={"name_first": "B"}, short_id=ids[0])


def test_a_reservation_is_only_for_its_user_and_record_type(case_config, worker, make_user):
    other = make_user(username="other", agency="agency-a")
    ids = actions.reserve_short_ids(user=worker, record_type="case", count=2)
    with pytest.raises(Conflict):
        actions.create_record(user=other, record_type="case", data={"name_first": "A"}, short_id=ids[0])
    assert not Record.objects.filter(short_id=ids[0]).exists()
    assert ShortIdReservation.objects.get(short_id=ids[0]).used_at is None  # the refusal rolled back


def test_reservations_skip_ids_records_already_hold(case_config, worker, monkeypatch):
    """An imported record may hold an id in the reserved half; a reservation must not hand it out."""
    held = shortids.mint("CA", reserved=True)
    actions.create_record(user=worker, record_type="case", data={"name_first": "A"}, short_id=held)
    draws = iter([held, *[shortids.mint("CA", reserved=True) for _ in range(5)]])
    real_mint = shortids.mint
    monkeypatch.setattr(
        shortids, "mint", lambda prefix, reserved=False: next(draws) if reserved else real_mint(prefix)
    )
    ids = actions.reserve_short_ids(user=worker, record_type="case", count=1)
    assert ids != [held] and len(ids) == 1


@pytest.mark.parametrize("count", [0, -1, 501, "3", True, None])
def test_bad_counts_are_refused(case_config, worker, count):
    with pytest.raises(KingaError) as err:
        actions.reserve_short_ids(user=worker, record_type="case", count=count)
    assert err.value.code == "invalid_count"


def test_api_reserve_and_use(api_client, worker, case_config):
    api_client.force_authenticate(worker)
    r = api_client.post(BASE + "short-ids/", {"count": 3}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["record_type"] == "case" and len(body["short_ids"]) == 3
    r = api_client.post(
        BASE, {"data": {"name_first": "Offline"}, "short_id": body["short_ids"][1]}, format="json"
    )
    assert r.status_code == 201, r.content
    assert r.json()["short_id"] == body["short_ids"][1]
    for bad in ({"count": 0}, {"count": "many"}, {}, [1]):
        r = api_client.post(BASE + "short-ids/", bad, format="json")
        assert r.status_code == 400, (bad, r.content)
    assert api_client.post("/api/v1/records/nope/short-ids/", {"count": 1}, format="json").status_code == 404
