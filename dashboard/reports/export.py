"""Offline exports of group overviews: self-contained HTML, one-page A4 PDF, chart PNGs.

Used by the download buttons (presenter and overview pages) and by `hyte export`, which
builds each briefing through reports.assemble straight from dashboard.data: no Streamlit
cache, the warehouse opened read-only per query batch.

Language: a file speaks the language current where it is made (`catalog.use(lang)`), or the
`lang` given. Give it whenever the file is made outside the run that chose the language:
Streamlit runs a download button's callable `data` on a worker thread of the server, where
the session's language is not set (it would be Finnish). `export_groups(lang=…)` makes every
file, names from the warehouse included, in one language (`hyte export --lang`).
ExportError messages stay English: they are the `hyte` command's, whose other messages and
usage errors are English too, and never reach the dashboard.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path

import vl_convert

from dashboard import data
from dashboard.i18n import catalog, names
from dashboard.i18n.formatting import built_text
from dashboard.model.briefing import Briefing
from dashboard.reports import assemble, slides
from dashboard.reports import html_page as html_report
from dashboard.reports import pdf_page as pdf_report

FORMATS = ("html", "pdf", "png")
PNG_SCALE = 2.0  # print-sharp at the charts' screen size


class ExportError(RuntimeError):
    """An export cannot be made; the message is one line that names the fix."""


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from vl-convert (no network)."""
    return vl_convert.javascript_bundle()


def exported_now() -> str:
    return built_text(datetime.now(UTC).isoformat(timespec="seconds"))


def _language(lang: str | None):
    """`with _language(lang):` the given language, or the current one when None."""
    return nullcontext() if lang is None else catalog.use(lang)


def html_bytes(b: Briefing, exported_at: str | None = None, lang: str | None = None) -> bytes:
    with _language(lang):
        return html_report.render(b, vega_bundle(),
                                  exported_at or exported_now()).encode("utf-8")


def pdf_bytes(b: Briefing, exported_at: str | None = None, lang: str | None = None) -> bytes:
    with _language(lang):
        return pdf_report.render(b, exported_at or exported_now())


def chart_png(spec: dict, scale: float = PNG_SCALE) -> bytes:
    return vl_convert.vegalite_to_png(spec, scale=scale)


def png_files(b: Briefing, lang: str | None = None) -> list[tuple[str, bytes]]:
    """(file name suffix, PNG) of every chart of the overview, each naming its source."""
    suffixes = {"trend": "kehitys", "members": "kunnat"}  # file names stay Finnish
    out = []
    with _language(lang):
        for cid, _caption, spec in html_report.chart_specs(b):
            kind, priority = cid.split("-", 1)
            out.append((f"{priority}-{suffixes[kind]}.png",
                        chart_png(html_report.with_source(spec, b))))
    return out


def slide_png(b: Briefing, slide: slides.Slide, lang: str | None = None) -> bytes | None:
    with _language(lang):
        spec = slides.chart_spec(b, slide)
        return None if spec is None else chart_png(html_report.with_source(spec, b))


def file_stem(group_id: str) -> str:
    """Group ids are configuration: keep file names to safe characters."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", group_id).strip("_") or "ryhma"


@contextmanager
def _warehouse(path: Path):
    """Point dashboard.data at `path` for the export and restore the environment after."""
    old = os.environ.get("HYTE_WAREHOUSE")
    os.environ["HYTE_WAREHOUSE"] = str(path)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("HYTE_WAREHOUSE", None)
        else:
            os.environ["HYTE_WAREHOUSE"] = old


def export_groups(live_path: Path, group_ids: Sequence[str] | None, formats: Iterable[str],
                  out_dir: Path, progress: Callable[[str], None] | None = None,
                  lang: str | None = None) -> list[Path]:
    """Write the chosen formats for the chosen groups (None = every group) into `out_dir`.

    Files: <group>.html, <group>.pdf, <group>-<priority>-kehitys.png and -kunnat.png, all in
    `lang` (fi, sv, en; default: the current language) with the warehouse's names in it.
    Raises ExportError (nothing written) for an unknown group, format, language or
    unreadable warehouse.
    """
    if lang is not None and lang not in catalog.LANGUAGES:
        raise ExportError(f"unknown language {lang!r}; choose from "
                          f"{', '.join(catalog.LANGUAGES)}")
    with _language(lang):
        return _export_groups(live_path, group_ids, formats, out_dir, progress)


def _export_groups(live_path: Path, group_ids: Sequence[str] | None, formats: Iterable[str],
                   out_dir: Path, progress: Callable[[str], None] | None) -> list[Path]:
    progress = progress or (lambda _m: None)
    formats = list(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ExportError(f"unknown format {', '.join(bad) or '(none)'}; choose from "
                          f"{', '.join(FORMATS)}")
    with _warehouse(Path(live_path)):
        try:
            version = data.version()
            cat = names.localize(data.catalogue(version), catalog.current())
            groups = cat["groups"]
        except data.WarehouseUnavailable as exc:
            raise ExportError(str(exc)) from None
        known = list(groups["group_id"])
        chosen = list(dict.fromkeys(group_ids)) if group_ids else known
        unknown = [g for g in chosen if g not in known]
        if unknown:
            raise ExportError(f"unknown group id {unknown[0]!r}; known groups: "
                              f"{', '.join(known)}")
        try:
            out_dir = Path(out_dir)
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"cannot create {out_dir}: {exc.strerror or exc}") from None
        exported_at = exported_now()
        written: list[Path] = []
        for gid in chosen:
            b = assemble.briefing_for(version, gid, cat=cat)
            stem = file_stem(gid)
            files: list[tuple[str, bytes]] = []
            if "html" in formats:
                files.append((f"{stem}.html", html_bytes(b, exported_at)))
            if "pdf" in formats:
                files.append((f"{stem}.pdf", pdf_bytes(b, exported_at)))
            if "png" in formats:
                files += [(f"{stem}-{suffix}", png) for suffix, png in png_files(b)]
            for name, content in files:
                path = out_dir / name
                try:
                    path.write_bytes(content)
                except OSError as exc:
                    raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
                written.append(path)
            progress(f"{gid}: {len(files)} file(s)")
    return written


# --- municipality cards (kuntakortit) ---------------------------------------------------------
# One A4 page per municipality, a PDF of a group's cards and the county's PDF (a contents
# page, then every card in group order), and a self-contained HTML card.

CARD_FORMATS = ("html", "pdf")
COUNTY_SET_STEM = "kuntakortit"
CARD_NAME_LIMIT = 60  # characters of the municipality's name in a card's file name


def card_stem(card) -> str:
    """kuntakortti-179-jyvaskyla: the official code first, then the name in safe letters.

    The name comes from the warehouse: cut so that no name makes a file name too long."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", card.name).encode("ascii", "ignore").decode("ascii")
    return f"kuntakortti-{card.code}-{file_stem(plain.lower())[:CARD_NAME_LIMIT].strip('_')}"


def card_pdf_bytes(card, exported_at: str | None = None) -> bytes:
    from dashboard.reports import kuntakortti_pdf

    return kuntakortti_pdf.render(card, exported_at or exported_now())


def card_set_pdf_bytes(cards, exported_at: str | None = None, title: str | None = None,
                       contents=None) -> bytes:
    """Many cards in one PDF; `contents`: (group name, cards) for a contents page first."""
    from dashboard.reports import kuntakortti_pdf

    return kuntakortti_pdf.render_set(cards, exported_at or exported_now(), title, contents)


def card_html_bytes(card, exported_at: str | None = None) -> bytes:
    from dashboard.reports import kuntakortti_html

    return kuntakortti_html.render(card, vega_bundle(), exported_at or exported_now()).encode(
        "utf-8")


def export_cards(live_path: Path, codes: Sequence[str], formats: Iterable[str], out_dir: Path,
                 group_ids: Sequence[str] | None = None,
                 progress: Callable[[str], None] | None = None,
                 lang: str | None = None) -> list[Path]:
    """export_cards_here in `lang` (fi, sv, en; default: the current language)."""
    if lang is not None and lang not in catalog.LANGUAGES:
        raise ExportError(f"unknown language {lang!r}; choose from "
                          f"{', '.join(catalog.LANGUAGES)}")
    with _language(lang):
        return export_cards_here(live_path, codes, formats, out_dir, group_ids, progress)


def export_cards_here(live_path: Path, codes: Sequence[str], formats: Iterable[str],
                      out_dir: Path, group_ids: Sequence[str] | None = None,
                      progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write municipality cards: `codes` are official codes or 'all'.

    Files: kuntakortti-<code>-<name>.pdf/.html per municipality; with 'all' also
    kuntakortit-<group>.pdf per group and, when no `group_ids` narrow it, kuntakortit.pdf
    (the county: a contents page, then every card in group order). `group_ids` with 'all':
    only those groups' municipalities and set PDFs. Raises ExportError (nothing written) for
    an unknown code, group or format or an unreadable warehouse.
    """
    from dashboard.i18n import names
    from dashboard.i18n.catalog import _, current
    from dashboard.reports import kuntakortti_assemble as cards_assemble

    progress = progress or (lambda _m: None)
    formats = list(dict.fromkeys(formats))
    bad = [f for f in formats if f not in CARD_FORMATS]
    if bad or not formats:
        raise ExportError(f"unknown format for municipality cards {', '.join(bad) or '(none)'}; "
                          f"choose from {', '.join(CARD_FORMATS)}")
    with _warehouse(Path(live_path)):
        try:
            version = data.version()
            cat = names.localize(data.catalogue(version), current())
        except data.WarehouseUnavailable as exc:
            raise ExportError(str(exc)) from None
        everything = any(str(c).strip().lower() == "all" for c in codes)
        groups = cards_assemble.groups_of(cat)
        known = [g for g, _n, _m in groups]
        unknown = [g for g in (group_ids or []) if g not in known]
        if unknown:
            raise ExportError(f"unknown group id {unknown[0]!r}; known groups: "
                              f"{', '.join(known)}")
        if group_ids and not everything:
            raise ExportError("--group with --municipality needs --municipality all")
        try:
            region_ids = cards_assemble.resolve(cat, codes)
        except cards_assemble.UnknownMunicipality as exc:
            raise ExportError(str(exc)) from None
        chosen_groups = [g for g in groups if not group_ids or g[0] in group_ids]
        if group_ids:
            members = {m for _g, _n, ms in chosen_groups for m in ms}
            region_ids = [r for r in region_ids if r in members]
        try:
            out_dir = Path(out_dir)
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"cannot create {out_dir}: {exc.strerror or exc}") from None
        exported_at = exported_now()
        cards = cards_assemble.cards_for(version, region_ids, cat)
        by_id = {c.region_id: c for c in cards}
        files: list[tuple[str, Callable[[], bytes]]] = []
        for card in cards:
            stem = card_stem(card)
            if "pdf" in formats:
                files.append((f"{stem}.pdf", functools.partial(card_pdf_bytes, card, exported_at)))
            if "html" in formats:
                files.append((f"{stem}.html",
                              functools.partial(card_html_bytes, card, exported_at)))
        if everything and "pdf" in formats:
            for gid, gname, members in chosen_groups:
                part = [by_id[m] for m in members if m in by_id]
                if part:
                    title = _("{group} – kuntakortit", group=gname)
                    files.append((f"{COUNTY_SET_STEM}-{file_stem(gid)}.pdf", functools.partial(
                        card_set_pdf_bytes, part, exported_at, title)))
            if not group_ids:
                title = _("{area} – kuntakortit", area=cards[0].area_name if cards else "")
                files.append((f"{COUNTY_SET_STEM}.pdf", functools.partial(
                    card_set_pdf_bytes, cards, exported_at, title,
                    cards_assemble.contents(cat, cards))))
        written: list[Path] = []
        for name, make in files:
            path = out_dir / name
            try:
                path.write_bytes(make())
            except OSError as exc:
                raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
            written.append(path)
            progress(f"{name}")
    return written
