"""Finnish number and date formatting, done server-side so every viewer sees the same."""

from __future__ import annotations

import math
from datetime import date, datetime

NBSP = "\u00a0"
MINUS = "\u2212"

# d3-format locale for Vega-Lite charts: decimal comma, non-breaking space thousands.
VEGA_FORMAT_LOCALE = {
    "decimal": ",",
    "thousands": NBSP,
    "grouping": [3],
    "currency": ["", f"{NBSP}€"],
    "minus": MINUS,
}
VEGA_TIME_LOCALE = {
    "dateTime": "%A, %-d. %Bta %Y klo %X",
    "date": "%-d.%-m.%Y",
    "time": "%H:%M:%S",
    "periods": ["a.m.", "p.m."],
    "days": ["sunnuntai", "maanantai", "tiistai", "keskiviikko", "torstai", "perjantai",
             "lauantai"],
    "shortDays": ["Su", "Ma", "Ti", "Ke", "To", "Pe", "La"],
    "months": ["tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu",
               "heinäkuu", "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"],
    "shortMonths": ["Tammi", "Helmi", "Maalis", "Huhti", "Touko", "Kesä", "Heinä", "Elo",
                    "Syys", "Loka", "Marras", "Joulu"],
}


_FINNISH_MARKS = str.maketrans({",": NBSP, ".": ","})


def number(value, decimals: int = 1, missing: str = "–") -> str:
    """1234.5 -> '1 234,5' (non-breaking space, decimal comma, true minus sign).

    Called for every tooltip value of every chart (thousands per page), so kept lean.
    """
    if value is None:
        return missing
    try:
        value = float(value)
    except (TypeError, ValueError):
        return missing
    if not math.isfinite(value):
        return missing
    text = f"{abs(value):,.{decimals}f}".translate(_FINNISH_MARKS)
    if value < 0 and text.strip("0,\u00a0"):
        text = MINUS + text
    return text


def percent(value, decimals: int = 0) -> str:
    """A share 0..1 as '12 %' (Finnish style puts a space before %)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{number(value * 100, decimals)}{NBSP}%"


def interval(lo, hi, decimals: int = 1) -> str:
    if lo is None or hi is None or (isinstance(lo, float) and math.isnan(lo)):
        return "–"
    return f"{number(lo, decimals)}–{number(hi, decimals)}"


def day(value) -> str:
    """A date as 14.11.2025."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime | date):
        return f"{value.day}.{value.month}.{value.year}"
    return str(value)


def built_text(built_at: str | None) -> str:
    """'22.11.2026 klo 15.12.25 UTC': the publish a page is showing, to the second."""
    if not built_at:
        return "–"
    return f"{day(built_at[:10])} klo {built_at[11:19].replace(':', '.')} UTC"


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$&:")


ZWSP = "\u200b"
_AUTOLINK_BREAKS = {"://": f":{ZWSP}//", "www.": f"www{ZWSP}.", "@": f"@{ZWSP}"}


def md_escape(text) -> str:
    """Text from outside (titles, names, notices) shown literally inside st.markdown.

    Backslash escapes stop Markdown and HTML; GFM still turns bare URLs and e-mail
    addresses into links after unescaping, so a zero-width space breaks those patterns.
    """
    if text is None:
        return ""
    text = str(text).replace("\n", " ")
    for pattern, broken in _AUTOLINK_BREAKS.items():
        text = text.replace(pattern, broken)
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)
