"""Date-of-birth comparison: exact, close, swapped day/month, partial, estimated, age vs date."""

import datetime as dt

from kinga_search.matching import dates


def test_exact():
    assert dates.compare_dates("2015-03-04", "2015-03-04") == (1.0, "same")


def test_day_and_month_swapped():
    score, why = dates.compare_dates("2015-03-04", "2015-04-03")
    assert why == "day and month swapped" and score == 0.9


def test_close_dates():
    assert dates.compare_dates("2015-03-04", "2015-03-06")[0] == 0.85
    assert dates.compare_dates("2015-03-04", "2015-03-25")[0] == 0.7


def test_year_only():
    assert dates.compare_dates("2015", "2015-06-01") == (0.7, "same year (one date is partial)")
    assert dates.compare_dates("2014", "2015-06-01")[0] == 0.4


def test_estimated_dates_are_lenient():
    score, why = dates.compare_dates("2015-01-01", "2015-09-14", estimated_a=True)
    assert score == 0.75 and "estimated" in why


def test_far_apart():
    assert dates.compare_dates("2010-03-04", "2015-03-04")[0] == 0.0


def test_unparseable_and_missing():
    assert dates.compare_dates(None, "2015-03-04") == (0.0, "missing")
    assert dates.parse("not a date") is None
    assert dates.parse("2015-13-01") is None


def test_age_against_date_of_birth():
    on = dt.date(2024, 6, 1)
    score, why = dates.compare_age_with_dob(9, "2015-03-04", on)
    assert score == 0.7 and "age 9" in why
    assert dates.compare_age_with_dob(3, "2015-03-04", on)[0] == 0.0


def test_birth_year_from_age():
    assert dates.birth_year(age=9, on=dt.date(2024, 6, 1)) == 2015
    assert dates.birth_year(dob="2015-03-04") == 2015
    assert dates.birth_year() is None
