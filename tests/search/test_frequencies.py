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
