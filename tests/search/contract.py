"""The search-backend contract: every backend must pass these. Subclass BackendContract and provide
a `backend_name` (see test_contract_database.py, test_contract_elasticsearch.py)."""

from __future__ import annotations

import pytest
from kinga.records.access import records_visible_to
from kinga.records.models import Record


class BackendContract:
    backend_name = ""

    @pytest.fixture(autouse=True)
    def _use_backend(self, settings, search_config):
        from kinga_search.backends import registry

        settings.KINGA_SEARCH_BACKEND = self.backend_name
        registry.reset()
        self.backend = registry.get_backend()
        self.backend.clear()
        yield
        self.backend.clear()
        registry.reset()

    @pytest.fixture
    def children(self, make_record):
        return {
            "mohamed": make_record(
                name_first="Mohamed", name_last="Ali", date_of_birth="2015-03-04", sex="male"
            ),
            "fatima": make_record(
                name_first="Fatima", name_last="Hassan", date_of_birth="2012-07-01", sex="female"
            ),
            "eloise": make_record(
                name_first="Éloïse", name_last="Mukamana", date_of_birth="2016-01-09", sex="female"
            ),
            "grace": make_record(
                name_first="Grace", name_last="Akinyi", notes="Lives with grandmother near the market"
            ),
        }

    def ids(self, qs) -> list:
        return list(qs.values_list("pk", flat=True))

    def search(self, q):
        return self.backend.search(Record.objects.filter(deleted_at__isnull=True), q)

    # --- free text ----------------------------------------------------------------------------

    def test_finds_by_name(self, children):
        assert self.ids(self.search("Fatima")) == [children["fatima"].pk]

    def test_finds_transliteration_variants_and_arabic_script(self, children):
        for q in ("Muhammad", "mohammed", "محمد", "MOHAMED ALI"):
            assert self.ids(self.search(q)) == [children["mohamed"].pk], q

    def test_folds_diacritics_both_ways(self, children):
        assert self.ids(self.search("eloise")) == [children["eloise"].pk]
        assert self.ids(self.search("Éloïse Mukamana")) == [children["eloise"].pk]

    def test_finds_by_short_id_and_free_text(self, children):
        grace = children["grace"]
        assert self.ids(self.search(grace.short_id)) == [grace.pk]
        assert self.ids(self.search("grandmother")) == [grace.pk]

    def test_all_words_must_match(self, children):
        assert self.ids(self.search("Fatima Akinyi")) == []

    def test_search_stays_inside_the_callers_queryset(self, children, agency_b_user):
        assert self.ids(self.backend.search(records_visible_to(agency_b_user, "case"), "Fatima")) == []

    def test_results_are_ranked(self, children, make_record):
        make_record(name_first="Ali", name_last="Ali", date_of_birth="2011-01-01")
        qs = self.search("Ali")
        assert len(self.ids(qs)) == 2
        ranks = list(qs.values_list("search_rank", flat=True))
        assert ranks == sorted(ranks, reverse=True)

    def test_empty_query_returns_the_queryset(self, children):
        assert set(self.ids(self.search("  "))) == {r.pk for r in children.values()}

    def test_update_and_delete_follow_records(
        self, children, agency_a_user, django_capture_on_commit_callbacks
    ):
        from kinga.records.actions import delete_record, update_record

        fatima = children["fatima"]
        with django_capture_on_commit_callbacks(execute=True):
            update_record(
                user=agency_a_user, record=fatima, changes={"name_first": "Zainab"}, expected_version=1
            )
        assert self.ids(self.search("Fatima")) == []
        assert self.ids(self.search("Zainab")) == [fatima.pk]
        with django_capture_on_commit_callbacks(execute=True):
            delete_record(user=agency_a_user, record=fatima)
        assert self.ids(self.search("Zainab")) == []

    # --- duplicate blocking -------------------------------------------------------------------

    def test_candidates_share_blocking_keys(self, children):
        found = self.backend.candidates(
            "case", {"name_first": "محمد", "name_last": "Aly", "date_of_birth": "2015-04-03"}
        )
        assert [str(i) for i in found[:1]] == [str(children["mohamed"].pk)]
        assert str(children["grace"].pk) not in {str(i) for i in found}

    def test_candidates_rank_a_birth_year_off_by_one_first(self, children, make_record):
        older = make_record(name_first="Fatima", name_last="Hassan", date_of_birth="2005-07-01")
        found = self.backend.candidates(
            "case", {"name_first": "Fatma", "name_last": "Hasan", "date_of_birth": "2013-01-01"}
        )
        assert [str(i) for i in found[:2]] == [str(children["fatima"].pk), str(older.pk)]

    def test_candidates_exclude_and_limit(self, children):
        data = {"name_first": "Mohamed", "name_last": "Ali"}
        assert self.backend.candidates("case", data, exclude=[children["mohamed"].pk]) == []
        assert len(self.backend.candidates("case", data, limit=1)) == 1

    def test_no_rules_no_candidates(self, children):
        assert self.backend.candidates("tracing_request", {"name_first": "Mohamed"}) == []

    def test_reindex_rebuilds_from_records(self, children):
        from kinga_search.indexing import reindex

        self.backend.clear()
        assert self.ids(self.search("Fatima")) == []
        assert reindex() == len(children)
        assert self.ids(self.search("Fatima")) == [children["fatima"].pk]
