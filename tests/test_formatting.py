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
