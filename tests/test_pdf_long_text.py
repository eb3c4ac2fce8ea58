"""Long texts reach the PDF cut to a sane length, and cell fitting is the same as before."""

from __future__ import annotations

import pytest

from dashboard.reports import pdf_page


def naive_fit(doc, text: str, width: float) -> str:
    """The old one-letter-at-a-time cut: the reference the bisection must equal."""
    text = pdf_page.clean(text)
    if doc.get_string_width(text) <= width - 2 * doc.c_margin:
        return text
    while text and doc.get_string_width(text + "…") > width - 2 * doc.c_margin:
        text = text[:-1]
    return text.rstrip() + "…"


@pytest.mark.parametrize("text", ["Lyhyt", "Psykiatrian laitoshoidon potilaat 0–17-vuotiaat / "
                                  "1 000 vastaavanikäistä", "W" * 200, "iiii " * 80,
                                  "Äänekoski – Åbo " * 30])
@pytest.mark.parametrize("width", [9.0, 30.0, 64.0])
def test_bisection_fit_equals_the_letter_by_letter_cut(text, width):
    doc = pdf_page._Doc()
    doc.set_font("Helvetica", "", 6.4)
    assert doc.fit(text, width) == naive_fit(doc, text, width)


def test_clean_cuts_long_texts_before_layout():
    out = pdf_page.clip("x" * 32_000)
    assert len(out) == pdf_page.TEXT_LIMIT and out.endswith("…")
    assert len(pdf_page.clean("x" * 32_000)) == 32_000  # cleaning alone cuts nothing
    assert pdf_page.clean("lyhyt teksti") == "lyhyt teksti"
