"""Finnish formatting and Markdown escaping of outside text."""

import math

import pytest

from dashboard.i18n import formatting
from dashboard.ui import markup
from dashboard.ui.markup import md_escape


@pytest.mark.parametrize("value, decimals, expected", [
    (1234567.891, 2, "1\u00a0234\u00a0567,89"),
    (0.25, 2, "0,25"),
    (-3.26, 1, "\u22123,3"),
    (-0.04, 1, "0,0"),
    (12, 0, "12"),
    (math.nan, 1, "–"),
    (None, 1, "–"),
    ("abc", 1, "–"),
    (float("inf"), 1, "–"),
])
def test_number(value, decimals, expected):
    assert formatting.number(value, decimals) == expected


@pytest.mark.parametrize("value, expected", [("2025-11-14", "14.11.2025"), (None, "–"),
                                             ("garbage", "garbage")])
def test_day(value, expected):
    assert formatting.day(value) == expected


@pytest.mark.parametrize("text", [
    "<img src=x onerror=alert(1)>",
    "[klikkaa](javascript:alert(2))",
    "**lihava** _kursiivi_ `koodi` # otsikko",
    "https://example.invalid/polku ja www.example.invalid",
    "posti@example.invalid",
    "rivi 1\nrivi 2 | taulu |",
])
def test_md_escape_leaves_no_markup_or_autolink(text):
    escaped = md_escape(text)
    for c in "<>[]()*_`#|":
        assert all(escaped[i - 1] == "\\" for i, ch in enumerate(escaped) if ch == c)
    assert "://" not in escaped and "www." not in escaped and "@" + "e" not in escaped
    assert "\n" not in escaped
    # Nothing visible is lost: removing the escapes and zero-width spaces gives the text back.
    visible = escaped.replace(markup.ZWSP, "").replace("\\", "")
    assert visible == text.replace("\n", " ")


# --- per language: the fast formatter agrees with Babel's own (CLDR) -----------------------

from babel import numbers as babel_numbers  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dashboard.i18n import catalog  # noqa: E402


@pytest.mark.parametrize("lang, expected", [
    ("fi", "1\u00a0234\u00a0567,89"), ("sv", "1\u00a0234\u00a0567,89"), ("en", "1,234,567.89")])
def test_number_per_language(lang, expected):
    with catalog.use(lang):
        assert formatting.number(1234567.891, 2) == expected
        assert formatting.number(-3.26, 1).startswith(babel_numbers.get_minus_sign_symbol(
            formatting.BABEL_LOCALES[lang]))


@given(value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
       decimals=st.integers(min_value=0, max_value=3),
       lang=st.sampled_from(catalog.LANGUAGES))
def test_number_equals_babel(value, decimals, lang):
    """Same digits, separators and minus as babel.numbers.format_decimal."""
    loc = formatting.BABEL_LOCALES[lang]
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    expected = babel_numbers.format_decimal(abs(value), format=pattern, locale=loc)
    with catalog.use(lang):
        got = formatting.number(value, decimals)
    body = got.removeprefix(babel_numbers.get_minus_sign_symbol(loc))
    # Python and Babel may round an exact half differently; compare away from halves.
    scaled = abs(value) * 10 ** decimals
    if abs(scaled - math.floor(scaled) - 0.5) > 1e-6:
        assert body == expected
    if got != body:  # a minus only for values that do not round to zero
        assert value < 0 and body.strip("0,.\u00a0")


@pytest.mark.parametrize("lang, share, expected", [
    ("fi", 0.123, "12\u00a0%"), ("sv", 0.123, "12\u00a0%"), ("en", 0.123, "12%")])
def test_percent_per_language(lang, share, expected):
    with catalog.use(lang):
        assert formatting.percent(share) == expected
        assert expected == babel_numbers.format_percent(share, locale=formatting.BABEL_LOCALES[lang])


@pytest.mark.parametrize("lang, day_text, built", [
    ("fi", "14.11.2025", "22.11.2026 15.12.25 UTC"),
    ("sv", "14 nov. 2025", "22 nov. 2026 15.12.25 UTC"),  # sv_FI: dots in times
    ("en", "14 Nov 2025", "22 Nov 2026, 15:12:25 UTC"),
])
def test_dates_per_language(lang, day_text, built):
    with catalog.use(lang):
        assert formatting.day("2025-11-14") == day_text
        assert formatting.built_text("2026-11-22T15:12:25+00:00") == built


@pytest.mark.parametrize("lang, decimal, thousands", [("fi", ",", "\u00a0"), ("sv", ",", "\u00a0"),
                                                      ("en", ".", ",")])
def test_vega_locale_per_language(lang, decimal, thousands):
    with catalog.use(lang):
        loc = formatting.vega_number_locale()
        time = formatting.vega_time_locale()
    assert (loc["decimal"], loc["thousands"]) == (decimal, thousands)
    assert len(time["months"]) == 12 and len(time["days"]) == 7
    assert time["months"][0].lower().startswith({"fi": "tammi", "sv": "jan", "en": "jan"}[lang])
