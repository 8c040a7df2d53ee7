"""Text helpers the apps share: the spelling-insensitive name key and unique slugs."""

import re
import unicodedata

from django.utils.text import slugify


def name_key(text):
    """A spelling-insensitive key for a name: "Zhipeng (Howard) Huang" -> "zhipeng howard huang".

    Accents, case and punctuation are ignored so that the several spellings of one person in
    old minutes meet on the same key.
    """
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def unique_slug(text, taken, *, max_length=100, default="item"):
    """A slug of `text` not in `taken`, made unique with "-2", "-3"...; adds it to `taken`.

    `taken` is a set of the slugs in use (read once, so bulk creation costs no query per row);
    the slug is at most `max_length` characters; `default` stands in when `text` has no letter
    or digit slugify keeps.
    """
    base = slugify(text)[: max_length - 6] or default
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def clock(ms):
    """A time into a recording, as players show it: "H:MM:SS", or "M:SS" under an hour.

    `ms`: milliseconds (int, >= 0), rounded down to the second.
    """
    seconds = int(ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
