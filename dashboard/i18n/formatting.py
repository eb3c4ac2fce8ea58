"""Numbers and dates in the current language's format, from Babel's locale data (CLDR).

Done server-side so every viewer sees the same (st.dataframe would follow the browser).
Finnish and Swedish: decimal comma, no-break space between thousands, a true minus sign;
English: decimal point and comma thousands. The symbols come from Babel once per language;
`number()` then formats with them directly, because a page formats ~10,000 tooltip numbers
and Babel's pattern engine costs ~20× more per call (tests hold the two equal).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime

from babel import Locale, dates, numbers

from dashboard.i18n.catalog import current

NBSP = "\u00a0"
MINUS = "\u2212"
# CLDR locales behind the three languages; English dates as in Britain (1 Dec 2026, 15:12).
BABEL_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


@dataclass(frozen=True)
class Symbols:
    decimal: str
    group: str
    minus: str
    percent_gap: str  # between a number and "%" ('12 %' in fi and sv, '12%' in en)


def symbols(lang: str | None = None) -> Symbols:
    """The current (or given) language's number symbols."""
    return _symbols(lang or current())


@functools.cache
def _symbols(lang: str) -> Symbols:
    loc = BABEL_LOCALES[lang]
    pattern = numbers.format_percent(0.12, locale=loc)
    return Symbols(numbers.get_decimal_symbol(loc), numbers.get_group_symbol(loc),
                   numbers.get_minus_sign_symbol(loc),
                   pattern.removeprefix("12").removesuffix("%"))


@functools.cache
def _marks(lang: str) -> dict:
    s = symbols(lang)
    return str.maketrans({",": s.group, ".": s.decimal})


def number(value, decimals: int = 1, missing: str = "–") -> str:
    """1234.5 → '1 234,5' (fi, sv) or '1,234.5' (en); '–' for missing values."""
    if value is None:
        return missing
    try:
        value = float(value)
    except (TypeError, ValueError):
        return missing
    if not math.isfinite(value):
        return missing
    lang = current()
    text = f"{abs(value):,.{max(0, int(decimals))}f}".translate(_marks(lang))
    s = symbols(lang)
    if value < 0 and text.strip("0" + s.decimal + s.group):  # no "−0,0"
        text = s.minus + text
    return text


def percent(value, decimals: int = 0) -> str:
    """A share 0..1 as '12 %' (fi, sv) or '12%' (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{number(value * 100, decimals)}{symbols().percent_gap}%"


def interval(lo, hi, decimals: int = 1) -> str:
    if lo is None or hi is None or (isinstance(lo, float) and math.isnan(lo)) or (
            isinstance(hi, float) and math.isnan(hi)):
        return "–"
    return f"{number(lo, decimals)}–{number(hi, decimals)}"


def _as_date(value):
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, datetime | date) else None


def day(value) -> str:
    """A date as 14.11.2025 (fi), 14 nov. 2025 (sv), 14 Nov 2025 (en)."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return "–"
    parsed = _as_date(value)
    if parsed is None:
        return str(value)
    if isinstance(parsed, datetime):
        parsed = parsed.date()
    return dates.format_date(parsed, "medium", locale=BABEL_LOCALES[current()])


def built_text(built_at: str | None) -> str:
    """'22.11.2026 15.12.25 UTC': the publish a page is showing, to the second."""
    if not built_at:
        return "–"
    parsed = _as_date(built_at)
    if not isinstance(parsed, datetime):
        return str(built_at)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return dates.format_datetime(parsed, "medium", locale=BABEL_LOCALES[current()]) + " UTC"


# --- Vega's locale: charts format their axes themselves ---------------------------------------


def vega_number_locale() -> dict:
    """d3-format locale of the current language (in each spec: Streamlit drops embed options)."""
    s = symbols()
    gap = s.percent_gap
    return {"decimal": s.decimal, "thousands": s.group, "grouping": [3],
            "currency": ["", f"{NBSP}€"] if s.decimal == "," else ["€", ""],
            "minus": s.minus, "percent": f"{gap}%" if gap else "%"}


@functools.cache
def _vega_time_locale(lang: str) -> dict:
    loc = Locale.parse(BABEL_LOCALES[lang])
    days = dates.get_day_names("wide", locale=loc, context="stand-alone")
    short_days = dates.get_day_names("abbreviated", locale=loc, context="stand-alone")
    months = dates.get_month_names("wide", locale=loc, context="stand-alone")
    short_months = dates.get_month_names("abbreviated", locale=loc, context="stand-alone")
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # d3 counts weeks from Sunday, Babel from Monday
    return {"dateTime": "%x %X", "date": {"fi": "%-d.%-m.%Y", "sv": "%Y-%m-%d",
                                          "en": "%d/%m/%Y"}[lang],
            "time": "%H:%M:%S", "periods": ["AM", "PM"],
            "days": [days[i] for i in sunday_first],
            "shortDays": [short_days[i] for i in sunday_first],
            "months": [months[i] for i in range(1, 13)],
            "shortMonths": [short_months[i] for i in range(1, 13)]}


def vega_time_locale() -> dict:
    return _vega_time_locale(current())
