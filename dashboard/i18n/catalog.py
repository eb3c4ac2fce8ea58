"""Message catalogues: Finnish is the source language, Swedish and English are gettext catalogues.

Every user-visible string is written in the code in Finnish inside `_()` (or `N_()` where
the text is chosen later, `ngettext()` for plurals), as a whole sentence with named
placeholders (`_("{name}: ryhmässä {value}", name=…, value=…)`), so a translator can reorder
it. `pybabel extract` finds them (`make i18n` refreshes the catalogues); the translations
live in `locales/<lang>/LC_MESSAGES/<layer>.po`, one domain per dashboard layer, read with
Babel's own .po reader. tests/test_i18n_catalogues.py fails on a missing, stale, fuzzy or
untranslated entry and on placeholders that differ between a message and its translation.

The language is per script run (a Streamlit session, an export): `use(lang)` or
`set_language(lang)` put it in a context variable that `_()` reads, so the pure layers
need no language argument. Cached functions that return text take `lang` in their key.
"""

from __future__ import annotations

import contextvars
import functools
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
# The catalogue domains: one per dashboard layer (a module's strings live in its layer's;
# app.py's in views, data.py's warehouse messages in i18n).
DOMAINS = ("views", "ui", "reports", "charts", "model", "records", "i18n")
LOCALE_DIR = Path(__file__).resolve().parent / "locales"

PRIORITY_ORDER = ("mental_wellbeing", "everyday_safety", "active_lifestyle", "context")

_language: contextvars.ContextVar[str] = contextvars.ContextVar("hyte_language",
                                                                 default=DEFAULT_LANGUAGE)


def current() -> str:
    """The language of this script run or export."""
    return _language.get()


def set_language(lang: str) -> None:
    """For the rest of this thread's run (app.py, once per Streamlit script run)."""
    _language.set(_checked(lang))


@contextmanager
def use(lang: str) -> Iterator[str]:
    """`with use("sv"):` everything built inside speaks Swedish."""
    token = _language.set(_checked(lang))
    try:
        yield lang
    finally:
        _language.reset(token)


def _checked(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
    return lang


def parse_language(raw) -> tuple[str, bool]:
    """`?lang=` → (language, recognised); an unknown value falls back to Finnish."""
    if isinstance(raw, list | tuple):
        raw = raw[-1] if raw else None
    if raw is None or str(raw).strip() == "":
        return DEFAULT_LANGUAGE, True
    text = str(raw)[:10].strip().lower()
    return (text, True) if text in LANGUAGES else (DEFAULT_LANGUAGE, False)


@functools.cache
def catalogue(lang: str) -> dict:
    """msgid (or (singular, plural)) → translation of one language, all domains merged."""
    out: dict = {}
    if lang == DEFAULT_LANGUAGE:
        return out
    for domain in DOMAINS:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            continue
        with path.open("rb") as f:
            for message in read_po(f, locale=lang, domain=domain):
                if message.id and message.string and not message.fuzzy:
                    out[message.id] = message.string
    return out


def _(msgid: str, /, **values) -> str:
    """The message in the current language, its named placeholders filled in."""
    lang = current()
    text = msgid if lang == DEFAULT_LANGUAGE else catalogue(lang).get(msgid) or msgid
    return text.format(**values) if values else text


def N_(msgid: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Mark a message for extraction; `_()` translates it where it is shown."""
    return msgid


def ngettext(singular: str, plural: str, n: int, /, **values) -> str:
    """The singular or plural message for `n` (Finnish, Swedish and English: n == 1)."""
    lang = current()
    found = catalogue(lang).get((singular, plural)) if lang != DEFAULT_LANGUAGE else None
    forms = found if isinstance(found, list | tuple) and all(found) else (singular, plural)
    text = forms[0] if n == 1 else forms[1]
    return text.format(n=n, **values)


def placeholders(text: str) -> set[str]:
    """The named fields of a template (the catalogue test compares them per translation)."""
    return {f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f}


# --- the names every layer shows ----------------------------------------------------------

PRIORITY_NAMES = {
    "mental_wellbeing": N_("Mielen hyvinvointi"),
    "everyday_safety": N_("Arjen turvallisuus"),
    "active_lifestyle": N_("Liikunnallinen elämäntapa"),
    "context": N_("Väestö ja olosuhteet"),
}
OUTCOME_NAMES = {
    "better": N_("parempi"),
    "similar": N_("samaa tasoa"),
    "worse": N_("heikompi"),
    "higher": N_("korkeampi"),
    "lower": N_("matalampi"),
    "not_compared": N_("ei verrattu"),
}
TREND_NAMES = {  # Fingertips' five-point test at 99.8 % (model.phrases says the rest)
    "improving": N_("paranee (99,8 %)"),
    "worsening": N_("heikkenee (99,8 %)"),
    "rising": N_("nousee (99,8 %)"),
    "falling": N_("laskee (99,8 %)"),
    "stable": N_("ei merkitsevää muutosta (99,8 %)"),
    "insufficient": N_("ei laskettavissa (ei viittä peräkkäistä vuotta)"),
    "not_computable": N_("ei laskettavissa (ei luottamusväliä)"),
}
POLARITY_NAMES = {
    "high_good": N_("suuri arvo on hyvä"),
    "low_good": N_("pieni arvo on hyvä"),
    "no_judgement": N_("ei hyvä- tai huono-suuntaa (esim. palvelujen käyttö)"),
}
GENDER_NAMES = {"total": N_("yhteensä"), "male": N_("miehet"), "female": N_("naiset")}
BENCHMARK_NAMES = {
    "area": N_("Keski-Suomen hyvinvointialue"),
    "rest_of_area": N_("muu hyvinvointialue (ilman ryhmää)"),
    "country": N_("koko maa"),
    "rest_of_area_municipality": N_("muu hyvinvointialue (ilman kuntaa)"),
}


def _named(names: Mapping[str, str], key) -> str:
    return _(names[key]) if key in names else str(key)


def priority_name(priority: str) -> str:
    return _named(PRIORITY_NAMES, priority)


def outcome_name(outcome: str) -> str:
    return _named(OUTCOME_NAMES, outcome)


def trend_name(direction: str) -> str:
    return _named(TREND_NAMES, direction)


def polarity_name(polarity: str) -> str:
    return _named(POLARITY_NAMES, polarity)


def gender_name(gender: str) -> str:
    return _named(GENDER_NAMES, gender)


def benchmark_name(label: str) -> str:
    return _named(BENCHMARK_NAMES, label)
