"""Short record ids people can read out on the phone: CP-7K3M-9QX2-T.

Prefix (the record type's id_prefix) + 8 Crockford base32 characters from 40 bits + one check
character from the same alphabet.

Collision-free, offline included. The 40 bits split the space in two halves by the first body
character:
- the server half (0-9, A-F first): ids the server mints as it saves a record; a collision with an
  existing record is caught by the unique constraint and a fresh id is minted (invisible to users);
- the reserved half (G-Z first): ids handed out in blocks to devices *before* they go offline
  (`actions.reserve_short_ids`, `POST /api/v1/records/<type>/short-ids/`). A reservation is written
  to the database, unique, and never given twice; a device that creates records offline uses its
  reserved ids, so two devices can never pick the same one, and no server-minted id can take it.
Random (not sequential) so an id reveals nothing about how many records exist.

The check character is a Damm check over GF(32) (x∘y = α·x + y, α a primitive element): it detects
every single mistyped character and every swap of two adjacent characters, and unlike Crockford's
mod-37 symbols (* ~ $ = U) it is always a letter or digit someone can read out on the phone.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(r"^([A-Z][A-Z0-9]{0,9})-([0-9A-Z]{4})-([0-9A-Z]{4})-([0-9A-Z])$")


def _encode(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def _times_alpha(x: int) -> int:
    """Multiply by α in GF(32) with the primitive polynomial x^5 + x^2 + 1."""
    x <<= 1
    return (x ^ 0b100101) if x & 0b100000 else x


def _damm(text: str) -> int:
    interim = 0
    for ch in text:
        interim = _times_alpha(interim) ^ ALPHABET.index(ch)
    return interim


def check_char(body: str) -> str:
    # Chosen so that running the check over body + check character ends at 0.
    return ALPHABET[_times_alpha(_damm(body))]


RESERVED_BIT = 1 << 39  # set: the reserved half (first body character G-Z)


def mint(prefix: str, *, reserved: bool = False) -> str:
    """A random id in the server half, or in the reserved half for blocks handed to devices."""
    number = secrets.randbits(39) | (RESERVED_BIT if reserved else 0)
    body = _encode(number, 8)
    return f"{prefix.upper()}-{body[:4]}-{body[4:]}-{check_char(body)}"


def in_reserved_half(text: str) -> bool:
    match = _SHAPE.match(normalize(text))
    return bool(match) and ALPHABET.find(match.group(2)[0]) >= 16


def normalize(text: str) -> str:
    """Upper-case and map the letters Crockford reads as digits (O→0, I/L→1) outside the prefix."""
    text = text.strip().upper()
    prefix, sep, rest = text.partition("-")
    return prefix + sep + rest.translate(_READ_AS) if sep else text


def is_valid(text: str) -> bool:
    """Shape and check character. Used for ids minted offline and for lookups typed by people."""
    match = _SHAPE.match(normalize(text))
    if not match:
        return False
    body = match.group(2) + match.group(3)
    if any(ch not in ALPHABET for ch in body):
        return False
    return match.group(4) in ALPHABET and _damm(body + match.group(4)) == 0
