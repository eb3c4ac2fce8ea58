"""Check an indicator catalogue against Sotkanet: missing, renamed, discontinued, county-only."""

from __future__ import annotations

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
    return findings


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
