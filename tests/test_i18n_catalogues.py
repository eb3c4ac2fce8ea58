"""The message catalogues are complete and current: every text of the code, in sv and en.

Extraction is Babel's own (the same as `make i18n`): a text added to the code without a
translation, a translation whose text left the code, a fuzzy (machine-guessed) entry, an
empty one, or placeholders that differ between a text and its translation all fail here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from dashboard.i18n import catalog

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
TRANSLATED = [lang for lang in catalog.LANGUAGES if lang != catalog.DEFAULT_LANGUAGE]


def extracted(domain: str) -> set:
    """The msgids of one domain (a layer folder; app.py belongs to views)."""
    ids = set()
    sources = [ROOT / "dashboard" / domain]
    for source in sources:
        for _file, _line, message, _comments, _context in extract_from_dir(
                str(source), keywords=KEYWORDS, comment_tags=()):
            ids.add(message if isinstance(message, str) else tuple(message))
    extra = {"views": "app.py", "i18n": "data.py"}.get(domain)
    if extra:
        from babel.messages.extract import extract
        with (ROOT / "dashboard" / extra).open("rb") as f:
            for _line, message, _comments, _context in extract("python", f, keywords=KEYWORDS):
                ids.add(message if isinstance(message, str) else tuple(message))
    return ids


def po(lang: str, domain: str):
    path = catalog.LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    assert path.exists(), f"{path} is missing: run make i18n"
    with path.open("rb") as f:
        return read_po(f, locale=lang)


@pytest.mark.parametrize("domain", catalog.DOMAINS)
@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_has_every_text_of_its_layer_and_no_stale_ones(lang, domain):
    messages = {m.id: m for m in po(lang, domain) if m.id}
    code = extracted(domain)
    missing = sorted(map(str, code - set(messages)))
    stale = sorted(map(str, set(messages) - code))
    assert not missing, f"{lang}/{domain}.po lacks (run make i18n, translate): {missing[:10]}"
    assert not stale, f"{lang}/{domain}.po has texts no longer in the code: {stale[:10]}"


@pytest.mark.parametrize("domain", catalog.DOMAINS)
@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_entry_is_translated_reviewed_and_keeps_its_placeholders(lang, domain):
    problems = []
    for m in po(lang, domain):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        wanted = set().union(*(catalog.placeholders(i) for i in ids)) - {"n"}
        for s in strings:
            got = catalog.placeholders(s) - {"n"}
            if got != wanted:
                problems.append(f"placeholders {sorted(got)} != {sorted(wanted)}: {ids[0]!r}")
    assert not problems, f"{lang}/{domain}.po: {problems[:10]}"


def test_one_text_has_one_translation_across_layers():
    for lang in TRANSLATED:
        seen: dict = {}
        for domain in catalog.DOMAINS:
            for m in po(lang, domain):
                if m.id and m.string:
                    assert seen.setdefault(m.id, m.string) == m.string, (lang, m.id)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_are_used_and_unknown_texts_fall_back_to_finnish(lang):
    with catalog.use(lang):
        assert catalog.priority_name("mental_wellbeing") != "Mielen hyvinvointi"
        assert catalog._("Tätä tekstiä ei ole luettelossa.") == "Tätä tekstiä ei ole luettelossa."
    assert catalog.priority_name("mental_wellbeing") == "Mielen hyvinvointi"


def test_language_is_per_context_and_checked():
    with catalog.use("sv"):
        assert catalog.current() == "sv"
        with catalog.use("en"):
            assert catalog.current() == "en"
        assert catalog.current() == "sv"
    assert catalog.current() == "fi"
    with pytest.raises(ValueError, match="unknown language"):
        with catalog.use("de"):
            pass


@pytest.mark.parametrize("raw, expected", [
    (None, ("fi", True)), ("", ("fi", True)), ("sv", ("sv", True)), (["fi", "EN"], ("en", True)),
    ("de", ("fi", False)), ("<script>", ("fi", False)), ("x" * 500, ("fi", False)),
])
def test_lang_parameter(raw, expected):
    assert catalog.parse_language(raw) == expected
