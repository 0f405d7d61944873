"""XLSForm language columns: `label::English (en)` (the form pyxform and ODK recommend), `label::en`,
or `label::English`, and the names Kinga writes on export."""

from __future__ import annotations

import re

NAMES = {
    "en": "English",
    "fr": "French",
    "ar": "Arabic",
    "es": "Spanish",
    "pt": "Portuguese",
    "sw": "Swahili",
    "so": "Somali",
    "am": "Amharic",
    "ha": "Hausa",
    "ps": "Pashto",
    "fa": "Persian",
    "ur": "Urdu",
    "bn": "Bengali",
    "hi": "Hindi",
    "ru": "Russian",
    "uk": "Ukrainian",
    "tr": "Turkish",
    "my": "Burmese",
    "ti": "Tigrinya",
    "rw": "Kinyarwanda",
    "ln": "Lingala",
}
BY_NAME = {v.lower(): k for k, v in NAMES.items()} | {"français": "fr", "francais": "fr", "español": "es"}
CODE_RE = re.compile(r"[a-z]{2,3}([-_][A-Za-z0-9]+)?")
PAREN_RE = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\s*\)\s*$")


def language_code(text: str) -> str | None:
    """'English (en)' → 'en', 'fr' → 'fr', 'French' → 'fr'; None when it cannot be told."""
    text = text.strip()
    m = PAREN_RE.search(text)
    if m:
        return m.group(1).lower().replace("_", "-")
    if CODE_RE.fullmatch(text):
        return text
    return BY_NAME.get(text.lower())


def split_column(header: str) -> tuple[str, str | None]:
    """('label', 'French (fr)') for 'label::French (fr)'; ('label', None) for 'label'."""
    base, sep, lang = header.partition("::")
    return base.strip().lower(), (lang.strip() if sep else None)


def column(base: str, lang: str) -> str:
    return f"{base}::{NAMES.get(lang.split('-')[0], lang)} ({lang})"


def display(lang: str) -> str:
    return f"{NAMES.get(lang.split('-')[0], lang)} ({lang})"
