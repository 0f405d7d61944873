"""Name normalisation and comparison for duplicate detection.

Children are registered by different workers, in different scripts and spellings: "Mohamed",
"Muhammad" and "محمد" are one name. Comparison therefore runs on three views of a name:

* ``fold``      case/diacritics folding and Arabic → Latin transliteration ("Fâtima" → "fatima");
* ``canonical`` a folded token mapped to its variant group ("mohamed" → "muhammad");
* ``skeleton``  a phonetic consonant skeleton, tolerant of vowel and transliteration choices
                ("youssef", "yusuf", "يوسف" → "YSF"). Used for blocking and as a "sounds alike" signal.

No dependency: the tables and the skeleton are small and tuned for the names Kinga deployments meet
(East Africa, the Middle East, the Sahel). Extend the tables, not the algorithm.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Arabic letters to their usual humanitarian-registration transliteration. Short vowels are rarely
# written, so "محمد" folds to "mhmd"; the skeleton drops vowels on the Latin side so both meet.
ARABIC_TO_LATIN = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j",
    "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "z", "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "w", "ي": "y", "ى": "a", "ء": "", "ؤ": "",
    "ئ": "", "پ": "p", "چ": "ch", "ڤ": "v", "گ": "g", "ک": "k", "ی": "y",
    # harakat (short vowels), when a writer adds them
    "\u064e": "a", "\u064f": "u", "\u0650": "i", "\u0652": "", "\u0651": "", "\u064b": "", "\u064c": "",
    "\u064d": "", "\u0640": "",
}  # fmt: skip

# Variant groups: every spelling maps to the first one. Transliteration variants of one name only;
# cognates across languages (Joseph/Yusuf) live in COGNATES because they are weaker evidence.
VARIANT_GROUPS = [
    [
        "muhammad",
        "mohammed",
        "mohamed",
        "mohamad",
        "muhammed",
        "mohammad",
        "mohamud",
        "mohamoud",
        "muhamed",
        "mouhamed",
        "mouhammad",
        "mohd",
        "mhmd",
        "mahamat",
        "mamadou",
    ],
    ["ahmad", "ahmed", "ahmet", "ahamed"],
    ["mahmoud", "mahmud", "mahmood", "mhmwd"],
    ["fatima", "fatma", "fatuma", "fatouma", "fatimah", "fatimeh", "fadima", "ftma"],
    ["yusuf", "youssef", "yousef", "yousif", "yusef", "youssouf", "yussuf", "ywsf"],
    ["ibrahim", "ebrahim", "ibrahima", "brahim", "ibraheem", "abrahym"],
    ["aisha", "aicha", "aysha", "ayesha", "aishah", "aysa", "aisa", "aysh"],
    ["khadija", "khadidja", "kadija", "khadijah", "hadija", "khdyja"],
    ["abdallah", "abdullah", "abdulla", "abdala", "abdellah", "abdullahi", "abdalla"],
    ["hussein", "husein", "hussain", "husayn", "hosein", "houssein", "hsyn"],
    ["hassan", "hasan", "hassane", "hsn"],
    ["omar", "umar", "oumar", "omer", "amr"],
    ["osman", "othman", "uthman", "usman", "ousmane", "athman"],
    ["mariam", "maryam", "meriem", "miriam", "maryan", "mrym"],
    ["zainab", "zeinab", "zaynab", "zenab", "zaineb", "zynb"],
    ["mustafa", "mostafa", "moustapha", "mustapha", "mstfa"],
    ["ismail", "ismael", "ismaila", "esmail", "asmaayl"],
    ["suleiman", "sulayman", "soleiman", "souleymane", "sulaiman", "slyman"],
    ["halima", "halimah", "haleema", "hlyma"],
    ["amina", "aminah", "ameena", "aminata", "amyna"],
    ["ali", "aly", "aliy"],
    ["khalid", "khaled", "khaleed", "khald"],
    ["abubakar", "abubakr", "aboubakar", "abu bakr", "abubaker"],
]
COGNATES = [
    ["yusuf", "joseph"],
    ["ibrahim", "abraham"],
    ["mariam", "mary", "maria", "marie"],
    ["ismail", "ishmael"],
    ["suleiman", "solomon"],
    ["daud", "daoud", "dawood", "david"],
    ["musa", "moussa", "moses"],
    ["isa", "issa", "jesus"],
    ["yaqub", "yacoub", "jacob"],
    ["hawa", "eve", "hawwa"],
]
# Short forms people give instead of a registered name. Deliberately small: each entry is a guess
# that can join two different children, so only widely used forms are listed.
NICKNAMES = {
    "mo": "muhammad", "moha": "muhammad", "hamada": "muhammad", "abdi": "abdallah", "fati": "fatima",
    "khadi": "khadija", "ibra": "ibrahim", "joe": "joseph", "jo": "joseph", "liz": "elizabeth",
    "beth": "elizabeth", "bill": "william", "will": "william", "kate": "catherine",
    "cathy": "catherine", "sam": "samuel", "ben": "benjamin", "dan": "daniel", "mike": "michael",
    "tom": "thomas", "nick": "nicholas", "chris": "christopher", "alex": "alexander",
    "jimmy": "james", "jim": "james", "bob": "robert", "rob": "robert", "becky": "rebecca",
    "sue": "susan", "gabi": "gabriel", "emma": "emmanuel", "manu": "emmanuel",
}  # fmt: skip

# Different names that share a skeleton; siblings are often given such pairs.
DISTINCT = {
    frozenset(pair)
    for pair in [("hassan", "hussein"), ("hassan", "hasna"), ("hussein", "hasna"), ("amina", "amna"),
                 ("ali", "alia"), ("ali", "aliya"), ("said", "saida"), ("jamal", "jamila"),
                 ("karim", "karima"), ("nasir", "nasra"), ("abdi", "abdo")]
}  # fmt: skip

_CANONICAL: dict[str, str] = {}
for _group in VARIANT_GROUPS:
    for _name in _group:
        _CANONICAL[_name.replace(" ", "")] = _group[0]
_COGNATE: dict[str, str] = {}
for _group in COGNATES:
    for _name in _group:
        _COGNATE[_CANONICAL.get(_name, _name)] = _group[0]

_NON_LETTER = re.compile(r"[^a-z]+")
# "Abdul Rahman", "Abd al-Rahman", "Abdel Rahman", "Abdulrahman" are one name: glue the particle.
_ABD_AL = re.compile(r"\babd[ -]*(?:u|e|a|ou)?l[ -]*(?=[a-z]{3})")
# Particles that are written attached or separate: "bin", "ould", "al-".
_AL = re.compile(r"\b(?:al|el)[ -](?=[a-z])")


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, strip diacritics, transliterate Arabic, keep letters and single spaces."""
    return _NON_LETTER.sub(" ", _fold(text)).strip()


def fold_text(text: str) -> str:
    """`fold` for free text: digits stay, so short ids and phone numbers remain searchable."""
    return _NON_ALNUM.sub(" ", _fold(text)).strip()


def _fold(text: str) -> str:
    if not text:
        return ""
    text = "".join(ARABIC_TO_LATIN.get(ch, ch) for ch in str(text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("ß", "ss").replace("æ", "ae").replace("ø", "o").replace("đ", "d").replace("ł", "l")
    text = _ABD_AL.sub("abdal", text)
    return _AL.sub("al", text)


def tokens(text: str) -> list[str]:
    return fold(text).split()


@lru_cache(maxsize=65536)
def canonical(token: str) -> str:
    """Map a folded token to its variant group's name (nicknames included)."""
    token = NICKNAMES.get(token, token)
    return _CANONICAL.get(token, token)


def cognate(token: str) -> str:
    return _COGNATE.get(canonical(token), canonical(token))


# Digraphs first (order matters), then single letters. Targets are a reduced consonant alphabet.
_DIGRAPHS = [
    ("sch", "S"), ("tch", "S"), ("dj", "J"), ("dh", "D"), ("th", "T"), ("ph", "F"), ("kh", "H"),
    ("gh", "G"), ("sh", "S"), ("ch", "S"), ("ck", "K"), ("ce", "S"), ("ci", "S"), ("cy", "S"), ("qu", "K"), ("ou", "U"), ("oo", "U"),
    ("ee", "I"), ("gu", "G"),
]  # fmt: skip
_LETTERS = {
    "b": "B", "p": "B", "c": "K", "k": "K", "q": "K", "g": "G", "j": "J", "d": "T", "t": "T",
    "f": "F", "v": "F", "s": "S", "z": "S", "x": "KS", "m": "M", "n": "N", "l": "L", "r": "R",
    "h": "H", "w": "w", "y": "y",
    "a": "a", "e": "a", "i": "a", "o": "a", "u": "a", "I": "a", "U": "a",
}  # fmt: skip


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """Phonetic consonant skeleton of one folded token (a simplified Beider-Morse-like key).

    Vowels, and w/y/h after the first letter, carry most transliteration noise, so they are dropped
    after the first letter; voiced/unvoiced pairs that writers confuse (d/t, b/p, s/z, f/v) merge;
    doubled consonants collapse ("Mohammed"/"Mohamed"), but not across a vowel or a dropped letter
    ("Sasawa" keeps both s). An initial vowel becomes "A" so "Ibrahim"/"Ebrahim" agree. Cognates
    share a skeleton ("Joseph"/"Yusuf") so blocking brings them together; scoring still tells them apart.
    """
    token = cognate(token)
    if not token:
        return ""
    for src, dst in _DIGRAPHS:
        token = token.replace(src, dst)
    out: list[str] = []
    adjacent = False  # the previous letter was the last consonant written (nothing dropped between)
    for i, ch in enumerate(token):
        code = _LETTERS.get(ch, "") if ch.islower() or ch in "IU" else ch
        if not code:
            continue
        if i == 0 and code in ("a", "w", "y"):
            out.append("A" if code == "a" else code.upper())
            adjacent = False
            continue
        if code in ("a", "w", "y") or code == "H" and i > 0:
            # Vowels, w/y as vowels ("yousuf"/"ywsf") and h written or not ("Ahmed"/"Amed", "rhmn").
            adjacent = False
            continue
        if code == "J" and out and out[-1] == "G" and adjacent:
            continue
        if not (adjacent and out and out[-1] == code):
            out.append(code)
        adjacent = True
    return "".join(out)[:8]


def key_of(token: str) -> str:
    """The blocking key of one token: its skeleton, or for vowel-heavy short names whose skeleton is a
    single letter ("Aya", "Yoye") the canonical spelling itself."""
    skel = skeleton(token)
    if len(skel) >= 2:
        return skel
    return "~" + cognate(token)[:7] if len(token) >= 2 else ""


def name_keys(text: str) -> list[str]:
    """Distinct blocking keys of a name's tokens."""
    seen: list[str] = []
    for tok in tokens(text):
        key = key_of(tok)
        if key and key not in seen:
            seen.append(key)
    return seen


def jaro_winkler(a: str, b: str, prefix_scale: float = 0.1) -> float:
    """Jaro-Winkler similarity in [0, 1] (standard definition, prefix up to 4 characters)."""
    if a == b:
        return 1.0 if a else 0.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    b_match = [False] * lb
    a_chars: list[str] = []
    for i, ch in enumerate(a):
        hi = min(lb, i + window + 1)
        j = b.find(ch, max(0, i - window), hi)
        while j != -1 and b_match[j]:
            j = b.find(ch, j + 1, hi)
        if j != -1:
            b_match[j] = True
            a_chars.append(ch)
    matches = len(a_chars)
    if not matches:
        return 0.0
    b_chars = [ch for ch, hit in zip(b, b_match, strict=True) if hit]
    transpositions = sum(x != y for x, y in zip(a_chars, b_chars, strict=True))
    m = float(matches)
    jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * prefix_scale * (1 - jaro)


# Scores for the kinds of agreement; the order is the evidence order.
EXACT, VARIANT, PHONETIC, COGNATE = 1.0, 0.95, 0.9, 0.8


@lru_cache(maxsize=262144)
def compare_tokens(a: str, b: str, phonetic: bool = True) -> tuple[float, str]:
    """Compare two folded tokens: (score, why).

    With ``phonetic=False`` a shared skeleton is not evidence by itself: only the tables (variants,
    nicknames, cognates) and the spelling count. Used between children of one family, who are
    often given names that sound alike ("Ayen"/"Awino") but are not misspellings of each other."""
    if a == b:
        return EXACT, "same"
    ca, cb = canonical(a), canonical(b)
    if ca == cb:
        return VARIANT, "spelling variant"
    if frozenset((ca, cb)) in DISTINCT:
        return round(max(0.0, jaro_winkler(ca, cb) - 0.5), 3), "different"
    if cognate(a) == cognate(b):
        return COGNATE, "same name in another language"
    sa, sb = (skeleton(a), skeleton(b)) if phonetic else ("", "")
    if sa and sa == sb and len(sa) >= 2:
        # Vowels still count a little: "Yusuf"/"Yosef" sound alike more surely than "Hamid"/"Hamud".
        return round(min(PHONETIC, 0.6 + 0.35 * jaro_winkler(ca, cb)), 3), "sounds alike"
    jw = max(jaro_winkler(a, b), jaro_winkler(ca, cb), jaro_winkler(sa, sb) * 0.9 if sa and sb else 0.0)
    if jw >= 0.85:
        return round(jw, 3), "similar spelling"  # a typo: "Wanjiru"/"Wanjiku"
    # Below that, Jaro-Winkler still gives distinct names 0.5-0.8; that is not partial agreement.
    return round(max(0.0, jw - 0.5), 3), "different"


@lru_cache(maxsize=262144)
def compare_names(a: str, b: str, phonetic: bool = True) -> tuple[float, str]:
    """Compare two name values of any number of tokens, tolerant of order and extra middle names.

    Each token of the shorter name is paired with its best partner in the longer one; the score is
    the mean of those pairs, lowered slightly when the longer name has unmatched tokens.
    """
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0, "missing"
    if ta == tb:
        return EXACT, "same"
    if len(ta) > len(tb):
        ta, tb = tb, ta
    total = 0.0
    whys: list[str] = []
    used: set[int] = set()
    for tok in ta:
        best, best_j, best_why = 0.0, -1, "different"
        for j, other in enumerate(tb):
            if j in used:
                continue
            score, why = compare_tokens(tok, other, phonetic)
            if score > best:
                best, best_j, best_why = score, j, why
        if best_j >= 0:
            used.add(best_j)
        total += best
        whys.append(best_why)
    score = total / len(ta)
    if len(ta) > 1 and "different" in whys:
        score *= 0.8  # "Claudine Mohamed" / "Elizabeth Mohamed": a shared surname is not the same person
    extra = len(tb) - len(ta)
    if extra:
        score *= 1 - 0.05 * min(extra, 2)  # "Amina" vs "Amina Hassan": likely, not certain
    why = min(whys, key=_WHY_RANK.get) if whys else "different"
    return round(score, 3), why


_WHY_RANK = {
    "different": 0,
    "similar spelling": 1,
    "same name in another language": 2,
    "sounds alike": 3,
    "spelling variant": 4,
    "same": 5,
}
