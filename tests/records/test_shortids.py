import pytest
from kinga.records import shortids


def test_minted_ids_have_the_documented_shape_and_check():
    ids = {shortids.mint("CP") for _ in range(2000)}
    assert len(ids) == 2000
    for sid in list(ids)[:200]:
        prefix, a, b, check = sid.split("-")
        assert prefix == "CP" and len(a) == len(b) == 4 and len(check) == 1
        assert shortids.is_valid(sid)


def test_check_character_catches_a_typo():
    sid = shortids.mint("CP")
    body = sid[3:7]
    wrong = "1" if body[0] != "1" else "2"
    assert not shortids.is_valid(sid[:3] + wrong + sid[4:])


def test_transposed_characters_are_caught():
    caught = 0
    for _ in range(200):
        sid = shortids.mint("CP")
        a, b = sid[3], sid[4]
        if a != b:
            caught += not shortids.is_valid(sid[:3] + b + a + sid[5:])
    assert caught >= 190  # mod 37 catches every adjacent transposition of distinct digits


def test_people_can_type_lower_case_and_confusable_letters():
    sid = "CP-" + "0" * 4 + "-" + "1" * 4 + "-"
    sid += shortids.check_char("00001111")
    assert shortids.is_valid(sid.lower().replace("0", "o").replace("1", "l"))
    assert shortids.normalize("cp-oooo-llll-x") == "CP-0000-1111-X"


@pytest.mark.parametrize(
    "bad", ["", "CP", "CP-0000-0000", "CP-0000-0000-00", "CP-00U0-0000-0", "-0000-0000-0"]
)
def test_malformed(bad):
    assert not shortids.is_valid(bad)
