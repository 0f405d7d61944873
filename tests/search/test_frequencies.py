"""Name frequencies for duplicate scoring come from the stored name × birth-year blocking keys."""

from kinga_search.frequencies import name_frequencies
from kinga_search.matching import names


def test_name_frequencies_count_records_per_name_key(make_record):
    make_record(name_first="Mohamed", name_last="Abdullahi", date_of_birth="2015-03-04")
    make_record(name_first="Muhammad", name_last="Otieno", date_of_birth="2016-05-01")
    make_record(name_first="Grace", name_last="Akinyi", date_of_birth="2014-05-05")
    make_record(name_first="Amina", name_last="Hassan")  # no birth year: not counted
    freq = name_frequencies("case", fresh=True)
    assert freq.records == 3
    assert freq.counts[names.name_keys("Mohamed")[0]] == 2  # spellings of one name count together
    assert freq.counts[names.name_keys("Grace")[0]] == 1
    # Too few records for an estimate: scoring treats every name as rare.
    assert freq.share_of("Mohamed") is None


def test_name_frequencies_are_cached_until_refreshed(make_record):
    make_record(name_first="Grace", name_last="Akinyi", date_of_birth="2014-05-05")
    first = name_frequencies("case", fresh=True)
    make_record(name_first="Grace", name_last="Akinyi", date_of_birth="2014-05-06")
    assert name_frequencies("case") is first
    assert name_frequencies("case", fresh=True).records == 2


def test_stale_frequencies_are_served_while_a_thread_refreshes_them(make_record, monkeypatch):
    from kinga_search import frequencies

    make_record(name_first="Grace", name_last="Akinyi", date_of_birth="2014-05-05")
    first = name_frequencies("case", fresh=True)
    started = []

    class InlineThread:  # the test database is not visible from another connection: run inline
        def __init__(self, target, **_kw):
            self.target = target

        def start(self):
            started.append(True)
            monkeypatch.setattr(frequencies.connection, "close", lambda: None)
            self.target()

    monkeypatch.setattr(frequencies.threading, "Thread", InlineThread)
    assert name_frequencies("case") is first  # within TTL: no refresh
    assert not started
    key = next(k for k in frequencies._cache if k[1] == "case")
    frequencies._cache[key] = (frequencies._cache[key][0] - frequencies.TTL - 1, first)
    assert name_frequencies("case") is first  # stale: still answered at once ...
    assert started == [True]
    assert name_frequencies("case") is not first  # ... and replaced by the refresh
    assert not frequencies._refreshing


def test_a_new_process_starts_from_the_shared_counts(make_record, django_assert_num_queries):
    from kinga_search import frequencies

    make_record(name_first="Grace", name_last="Akinyi", date_of_birth="2014-05-05")
    make_record(name_first="Grace", name_last="Akinyi", date_of_birth="2014-05-06")
    computed = name_frequencies("case", fresh=True)
    frequencies._cache.clear()  # another worker process: nothing in its own memory
    with django_assert_num_queries(0):
        shared = name_frequencies("case")
    assert shared.records == computed.records == 2 and shared.counts == computed.counts
    frequencies.clear_cache()  # forgets the shared copy too
    with django_assert_num_queries(2):
        assert name_frequencies("case").records == 2
