"""The room site: every group's overview and every municipality card as static HTML pages.

When a room of 100-230 people opens the presenter's link at once, each live Streamlit view
runs the page's script in the one server process; a pre-rendered page costs the server a
file read. So every publish (pipelines.ingest, `hyte export --site`) writes the pages that
the live overview and kuntakortti show, with the same content and source lines, charts drawn
beforehand as inline SVG by vl-convert (no script, nothing from outside), and a link back
into the live dashboard, into the folder Streamlit serves (`server.enableStaticServing`:
dashboard/static/, served at /app/static/).

Atomic like the warehouse: the pages are written into a new folder beside the served one,
then the `room` symlink is switched to it in one step (os.replace of a fresh link), so a
visitor sees the old site or the new, never half of one. Streamlit resolves the symlink on
every request and serves it only while it points inside static/ (it does).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from html import escape
from pathlib import Path
from urllib.parse import quote

import vl_convert

from dashboard import data
from dashboard.i18n import catalog, names
from dashboard.i18n.catalog import N_, _
from dashboard.reports import assemble, export, html_page, kuntakortti_html
from dashboard.reports import kuntakortti_assemble as cards_assemble

ROOT = Path(__file__).resolve().parent.parent.parent
STATIC = ROOT / "dashboard" / "static"  # what Streamlit serves beside dashboard/app.py
LINK = "room"  # dashboard/static/room -> .room-<stamp>/, served at /app/static/room/
# From /app/static/room/<page>.html back to the app's root (also under a proxy's base path).
APP_FROM_PAGE = "../../../"
KEEP = 2  # the live site and the one before it (a visitor may be reading it right now)
OPEN_LIVE = N_("Avaa interaktiivinen tilannekuva")
OPEN_LIVE_CARD = N_("Avaa kuntakortti interaktiivisena")
INDEX_TITLE = N_("Tilannekuva huoneelle")


class SiteError(RuntimeError):
    """The site cannot be written; one line (the warehouse publish is never undone by it)."""


def site_root() -> Path:
    """HYTE_SITE_DIR, or the app's static folder: where the `room` link lives (`off` only
    stops the publish from writing it; `hyte export --site` then writes the served one)."""
    raw = os.environ.get("HYTE_SITE_DIR", "").strip()
    return Path(raw) if raw and raw.lower() != "off" else STATIC


def enabled() -> bool:
    """HYTE_SITE_DIR=off: publish without the site (e.g. a warehouse no app serves)."""
    return os.environ.get("HYTE_SITE_DIR", "").strip().lower() != "off"


def group_page(group_id: str) -> str:
    return f"{export.file_stem(group_id)}.html"


def svg(spec: dict) -> str:
    """A chart drawn now, as an <svg> element (the XML prolog dropped: it sits in HTML)."""
    text = vl_convert.vegalite_to_svg(spec)
    return re.sub(r"^<\?xml[^>]*>\s*", "", text)


@contextmanager
def _warehouse(path: Path):
    old = os.environ.get("HYTE_WAREHOUSE")
    os.environ["HYTE_WAREHOUSE"] = str(path)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("HYTE_WAREHOUSE", None)
        else:
            os.environ["HYTE_WAREHOUSE"] = old


def svgs(specs: list[tuple[str, dict]]) -> dict[str, str]:
    """Element id -> SVG, drawn on a few threads (vl-convert draws outside the GIL; about
    a second per faceted chart on this machine, 1.5x faster on three threads)."""
    with ThreadPoolExecutor(max_workers=min(3, os.cpu_count() or 1)) as pool:
        return dict(zip((cid for cid, _s in specs), pool.map(svg, (s for _c, s in specs)),
                        strict=True))


def group_html(b, exported_at: str) -> str:
    specs = [(cid, html_page.with_source(spec, b)) for cid, _cap, spec in html_page.chart_specs(b)]
    href = APP_FROM_PAGE + "?group=" + quote(b.group_id) + _lang_param("&")
    return html_page.render(b, "", exported_at, svgs=svgs(specs),
                            live_link=(href, _(OPEN_LIVE)))


def card_html(card, exported_at: str) -> str:
    specs = [(cid, spec) for cid, _cap, spec in kuntakortti_html.chart_specs(card)]
    href = APP_FROM_PAGE + "kunta?kunta=" + quote(str(card.code)) + _lang_param("&")
    return kuntakortti_html.render(card, "", exported_at, svgs=svgs(specs),
                                   live_link=(href, _(OPEN_LIVE_CARD)))


def _lang_param(sep: str) -> str:
    lang = catalog.current()
    return "" if lang == catalog.DEFAULT_LANGUAGE else f"{sep}lang={lang}"


def index_html(groups: list[tuple[str, str]], cards: list[tuple[str, str]]) -> str:
    """The site's contents: each group's page and each card (names escaped)."""
    def links(items):
        return "<ul>" + "".join(f'<li><a href="{escape(href)}">{escape(name)}</a></li>'
                                for href, name in items) + "</ul>"

    groups_heading, cards_heading = _("Kuntaryhmät"), _("Kuntakortit")
    return (f"<!DOCTYPE html>\n<html lang=\"{escape(catalog.current())}\"><head>"
            "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
            f"initial-scale=1\"><title>{escape(_(INDEX_TITLE))}</title>"
            f"<style>{html_page.CSS}{html_page.LIVE_CSS}</style></head><body>"
            f'<p class="live"><a href="{APP_FROM_PAGE}">{escape(_(OPEN_LIVE))}</a></p>'
            f"<h1>{escape(_(INDEX_TITLE))}</h1>"
            f"<h2>{escape(groups_heading)}</h2>{links(groups)}"
            f"<h2>{escape(cards_heading)}</h2>{links(cards)}"
            "</body></html>\n")


def write_pages(live_path: Path, folder: Path, progress: Callable[[str], None]) -> list[Path]:
    """Every group's overview, every card and an index into `folder` (which exists)."""
    with _warehouse(Path(live_path)):
        version = data.version()
        cat = names.localize(data.catalogue(version), catalog.current())
        exported_at = export.exported_now()
        written = []
        groups = []
        for gid in cat["groups"]["group_id"]:
            b = assemble.briefing_for(version, str(gid), cat=cat)
            path = folder / group_page(str(gid))
            path.write_text(group_html(b, exported_at), encoding="utf-8")
            written.append(path)
            groups.append((path.name, b.group_name))
            progress(f"room site: {path.name}")
        order = cards_assemble.resolve(cat, ["all"])
        cards = []
        for card in cards_assemble.cards_for(version, order, cat):
            path = folder / f"{export.card_stem(card)}.html"
            path.write_text(card_html(card, exported_at), encoding="utf-8")
            written.append(path)
            cards.append((path.name, card.name))
        progress(f"room site: {len(cards)} municipality cards")
        index = folder / "index.html"
        index.write_text(index_html(groups, cards), encoding="utf-8")
        written.append(index)
    return written


def build(live_path: Path, root: Path | None = None, lang: str | None = None,
          progress: Callable[[str], None] | None = None) -> Path:
    """Write the whole site for the warehouse at `live_path` and switch `root/room` to it.

    Returns the served link. Raises SiteError (the previous site still served, its folder
    intact) when anything fails; a half-written new folder is removed.
    """
    progress = progress or (lambda _m: None)
    root = Path(root) if root is not None else site_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SiteError(f"cannot create {root}: {exc.strerror or exc}") from None
    link = root / LINK
    if link.exists() and not link.is_symlink():
        raise SiteError(f"{link} is a real folder, not the site's link; move it away")
    stamp = f".{LINK}-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    folder = root / stamp
    try:
        folder.mkdir()
        with catalog.use(lang) if lang else _same_language():
            write_pages(live_path, folder, progress)
        fresh = root / f"{stamp}.link"
        os.symlink(stamp, fresh)  # relative: the link stays inside static/
        os.replace(fresh, link)
    except Exception as exc:
        shutil.rmtree(folder, ignore_errors=True)
        (root / f"{stamp}.link").unlink(missing_ok=True)
        if isinstance(exc, SiteError):
            raise
        raise SiteError(f"room site not written: {type(exc).__name__}: "
                        f"{str(exc).splitlines()[0] if str(exc) else ''}") from exc
    prune(root)
    return link


@contextmanager
def _same_language():
    yield


def prune(root: Path) -> list[Path]:
    """Remove old site folders, keeping the served one and the one before it."""
    current = os.readlink(root / LINK) if (root / LINK).is_symlink() else None
    old = sorted((p for p in root.glob(f".{LINK}-*") if p.is_dir() and p.name != current),
                 key=lambda p: p.stat().st_mtime)
    removed = old[:max(0, len(old) - (KEEP - 1))]
    for p in removed:
        shutil.rmtree(p, ignore_errors=True)
    return removed


def public_url(group_id: str, base: str | None = None) -> str:
    """The room link of a group's page: HYTE_PUBLIC_URL (what the room's phones reach, e.g.
    the proxy's https://hyte.example.fi) or the given base, + /app/static/room/<page>."""
    base = (base or os.environ.get("HYTE_PUBLIC_URL", "") or "").strip().rstrip("/")
    return f"{base}/app/static/{LINK}/{group_page(group_id)}"
