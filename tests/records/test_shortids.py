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
    # Exhaustive over every pair of distinct characters at every adjacent position of the body:
    # The Damm check (a totally anti-symmetric quasigroup) catches every adjacent transposition.
    alphabet = shortids.ALPHABET
    missed = []
    for pos in range(7):
        for a in alphabet:
            for b in alphabet:
                if a == b:
                    continue
                body = list("7K3M9QX2")
                body[pos], body[pos + 1] = a, b
                good = "".join(body)
                sid = f"CP-{good[:4]}-{good[4:]}-{shortids.check_char(good)}"
                assert shortids.is_valid(sid)
                swapped = good[:pos] + b + a + good[pos + 2 :]
                if shortids.is_valid(f"CP-{swapped[:4]}-{swapped[4:]}-{sid[-1]}"):
                    missed.append((pos, a, b))
    assert missed == []


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


def test_every_single_character_error_is_caught():
    body = "7K3M9QX2"
    sid = f"CP-{body[:4]}-{body[4:]}-{shortids.check_char(body)}"
    plain = sid.replace("-", "")[2:]
    for pos in range(9):
        for ch in shortids.ALPHABET:
            if ch == plain[pos]:
                continue
            typo = plain[:pos] + ch + plain[pos + 1 :]
            assert not shortids.is_valid(f"CP-{typo[:4]}-{typo[4:8]}-{typo[8]}"), typo


def test_check_character_is_always_readable():
    for _ in range(500):
        assert shortids.mint("CP")[-1] in shortids.ALPHABET
