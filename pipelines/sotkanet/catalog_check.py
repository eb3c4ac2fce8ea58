"""Check an indicator catalogue against Sotkanet: missing, renamed, discontinued, county-only."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from ..config import Indicator
from .client import SotkanetError
from .transform import TransformError, indicator_meta

STATUSES = ("found", "missing", "title_differs", "discontinued", "county_only", "error")
DISCONTINUED_BEFORE = 2020  # a series whose last year is older than this is not current
MIN_TITLE_OVERLAP = 0.5  # share of the shorter title's words that must appear in the other
SUGGEST_STATUSES = ("missing", "title_differs", "discontinued")
MIN_SIMILARITY = 0.6  # difflib ratio of normalised titles for a suggested replacement
MAX_SUGGESTIONS = 3


class Source(Protocol):
    def regions(self) -> list[dict]: ...
    def indicators(self) -> list[dict]: ...
    def indicator(self, indicator_id: int) -> dict: ...
    def data(self, indicator_id: int, years, genders=...) -> list[dict]: ...


@dataclass(frozen=True)
class Finding:
    indicator_id: int
    name_fi: str
    status: str  # one of STATUSES; "error" when Sotkanet could not answer for this id
    detail: str
    # (id, Finnish title, similarity 0..1) of listed indicators whose title is like the
    # catalogue's name: candidates for a missing, renamed or discontinued entry
    suggestions: tuple[tuple[int, str, float], ...] = ()


def check_catalogue(
    indicators: Iterable[Indicator],
    source: Source,
    *,
    discontinued_before: int = DISCONTINUED_BEFORE,
    min_title_overlap: float = MIN_TITLE_OVERLAP,
) -> list[Finding]:
    """One finding per catalogue entry, in catalogue order (first problem found wins)."""
    available = {}
    for item in source.indicators():
        if isinstance(item, dict) and _as_int(item.get("id")) is not None:
            available[_as_int(item.get("id"))] = item
    titles = {iid: _list_title(item) for iid, item in available.items()}
    category_of: dict[int, str] | None = None  # fetched only if a coverage check needs it

    findings = []
    for ind in indicators:
        iid, name = ind.indicator_id, ind.name_fi

        def finding(status: str, detail: str, iid=iid, name=name) -> Finding:
            return Finding(iid, name, status, detail)

        if iid not in available:
            findings.append(finding("missing", "id not in Sotkanet's indicator list"))
            continue
        try:
            meta = indicator_meta(source.indicator(iid))
        except (SotkanetError, TransformError) as exc:
            findings.append(finding("error", f"metadata: {exc}"))
            continue
        title = meta["title_fi"] or ""
        start, end = meta["range_start"], meta["range_end"]
        if end is not None and end < discontinued_before:
            findings.append(
                finding("discontinued", f"last year {end} (series {start}–{end}): {title!r}")
            )
            continue
        overlap = title_overlap(name, title)
        if overlap < min_title_overlap:
            findings.append(
                finding(
                    "title_differs",
                    f"catalogue {name!r} vs Sotkanet {title!r} ({overlap:.0%} of words shared)",
                )
            )
            continue
        if ind.coverage == "municipality" and end is not None:
            if category_of is None:
                category_of = {
                    _as_int(r.get("id")): str(r.get("category", "")).upper()
                    for r in source.regions()
                    if isinstance(r, dict)
                }
            try:
                rows = source.data(iid, [end], genders=("total",))
            except SotkanetError as exc:
                findings.append(finding("error", f"data {end}: {exc}"))
                continue
            kunta = {
                _as_int(r.get("region"))
                for r in rows
                if isinstance(r, dict)
                and category_of.get(_as_int(r.get("region"))) == "KUNTA"
                and r.get("value") is not None
            }
            if not kunta:
                findings.append(
                    finding(
                        "county_only",
                        f"no municipality rows in {end} (catalogue says coverage=municipality)",
                    )
                )
                continue
            detail = f"{title!r}, {start}–{end}, {len(kunta)} municipalities in {end}"
        else:
            detail = f"{title!r}, {start}–{end}"
        findings.append(finding("found", detail))
    return [f if f.status not in SUGGEST_STATUSES else Finding(
        f.indicator_id, f.name_fi, f.status, f.detail,
        suggest(f.name_fi, titles, exclude=f.indicator_id)) for f in findings]


def suggest(name: str, titles: dict[int, str], *, exclude: int | None = None,
            limit: int = MAX_SUGGESTIONS, cutoff: float = MIN_SIMILARITY,
            ) -> tuple[tuple[int, str, float], ...]:
    """The listed indicators whose titles are most like `name` (difflib ratio of the
    normalised titles, at least `cutoff`), best first."""
    wanted = normalise_title(name)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    scored = []
    for iid, title in titles.items():
        if iid == exclude or not title:
            continue
        matcher.set_seq1(normalise_title(title))
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff:
            scored.append((iid, title, ratio))
    scored.sort(key=lambda t: (-t[2], t[0]))
    return tuple(scored[:limit])


def _list_title(item: dict) -> str:
    title = item.get("title")
    if isinstance(title, dict):
        title = title.get("fi") or title.get("sv") or title.get("en")
    return str(title).strip() if title else ""


def format_findings(findings: Iterable[Finding]) -> str:
    """A plain-text table for the terminal, problems first, with a count per status."""
    rows = sorted(findings, key=lambda f: (f.status == "found", STATUSES.index(f.status)))
    if not rows:
        return "No indicators checked."
    name_w = min(48, max(len("name"), *(len(f.name_fi) for f in rows)))
    status_w = max(len("status"), *(len(f.status) for f in rows))
    id_w = max(2, *(len(str(f.indicator_id)) for f in rows))
    lines = [
        f"{'id':>{id_w}}  {'status':<{status_w}}  {'name':<{name_w}}  detail",
        f"{'-' * id_w}  {'-' * status_w}  {'-' * name_w}  {'-' * 6}",
    ]
    for f in rows:
        name = f.name_fi if len(f.name_fi) <= name_w else f.name_fi[: name_w - 1] + "…"
        lines.append(
            f"{f.indicator_id:>{id_w}}  {f.status:<{status_w}}  {name:<{name_w}}  {f.detail}"
        )
        for sid, stitle, ratio in f.suggestions:
            lines.append(f"{'':>{id_w}}  {'':<{status_w}}  {'':<{name_w}}  "
                         f"maybe {sid}: {stitle!r} ({ratio:.0%} alike)")
    totals = {s: sum(1 for f in rows if f.status == s) for s in STATUSES}
    lines.append("")
    lines.append(", ".join(f"{n} {s}" for s, n in totals.items() if n))
    return "\n".join(lines)


_DASHES = re.compile(r"[\u2010-\u2015\u2212\-]+")
_WORD = re.compile(r"\w+")


def normalise_title(title: str) -> str:
    """Lower case, one kind of dash, single spaces, NFC."""
    text = unicodedata.normalize("NFC", title or "").casefold()
    text = _DASHES.sub("-", text)
    return " ".join(text.split())


def title_words(title: str) -> set[str]:
    return set(_WORD.findall(normalise_title(title)))


def title_overlap(a: str, b: str) -> float:
    """Share of the shorter title's words found in the other (1.0 for identical titles)."""
    wa, wb = title_words(a), title_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
