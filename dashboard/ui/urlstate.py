"""URL query parameters -> a valid view state, with friendly notes instead of errors.

Pure: links are typed by hand, pasted from chat and mangled by mail clients, so every value
is treated as untrusted text and never echoed back as markup. The notes are in the
run's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dashboard.i18n.catalog import _
from dashboard.model.comparison import BENCHMARKS, DEFAULT_PRIORITY, GENDERS

PRIORITY_CHOICES = ("all", "mental_wellbeing", "everyday_safety", "active_lifestyle", "context")
BENCHMARK_CHOICES = BENCHMARKS
MAX_LENGTH = 100


@dataclass(frozen=True)
class OverviewParams:
    group: str
    priority: str
    benchmark: str
    notes: tuple[str, ...] = ()


def _text(raw: Mapping, key: str) -> str | None:
    """The last value given for `key`, trimmed; None when absent."""
    value = raw.get(key)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if value is None:
        return None
    return str(value)[:MAX_LENGTH].strip()


def parse_overview(raw: Mapping, group_ids: Sequence[str]) -> OverviewParams:
    if not group_ids:
        raise ValueError("no groups configured")
    notes = []
    group = _text(raw, "group")
    if group is None or group == "":
        if group == "":
            notes.append(_("Linkissä ei ollut ryhmää; näytetään ensimmäinen ryhmä."))
        group = group_ids[0]
    elif group not in group_ids:
        notes.append(_("Linkin ryhmää ei tunnistettu; näytetään ensimmäinen ryhmä."))
        group = group_ids[0]
    priority = (_text(raw, "priority") or "all").lower()
    if priority not in PRIORITY_CHOICES:
        notes.append(_("Linkin painopistettä ei tunnistettu; näytetään kaikki painopisteet."))
        priority = "all"
    benchmark = (_text(raw, "benchmark") or "area").lower()
    if benchmark not in BENCHMARK_CHOICES:
        notes.append(_("Linkin vertailualuetta ei tunnistettu; vertailu hyvinvointialueeseen."))
        benchmark = "area"
    return OverviewParams(group, priority, benchmark, tuple(notes))


def parse_slide(raw: Mapping, n_slides: int) -> tuple[int, str | None]:
    """1-based slide number; anything else falls back to the first slide with a note."""
    text = _text(raw, "slide")
    if text is None:
        return 1, None
    if text.isascii() and text.isdigit() and 1 <= int(text) <= n_slides:
        return int(text), None
    return 1, _("Linkin diaa ei löytynyt; esitys alkaa ensimmäisestä diasta.")


@dataclass(frozen=True)
class CompareParams:
    group: str
    priority: str
    benchmark: str
    year: int | None
    gender: str
    notes: tuple[str, ...] = ()


def parse_params(raw: Mapping, group_ids: Sequence[str], years: Sequence[int]) -> CompareParams:
    """URL -> a valid starting selection; unknown values fall back with a note."""
    base = parse_overview(raw, group_ids)
    priority = base.priority
    if "priority" not in raw:
        priority = DEFAULT_PRIORITY  # all 45 indicators at once is a wall, not a comparison
    notes = list(base.notes)
    year = None
    text = _text(raw, "year")
    if text not in (None, "", "latest"):
        if text.isascii() and text.isdigit() and int(text) in set(years):
            year = int(text)
        else:
            notes.append(_("Linkin vuotta ei löytynyt; näytetään uusin vuosi."))
    gender = (_text(raw, "gender") or "total").lower()
    if gender not in GENDERS:
        notes.append(_("Linkin sukupuolta ei tunnistettu; näytetään yhteensä."))
        gender = "total"
    return CompareParams(base.group, priority, base.benchmark, year, gender, tuple(notes))


def parse_indicator(raw: Mapping, indicator_ids: Sequence[int]) -> tuple[int | None, str | None]:
    """`?indicator=181` -> 181; anything unknown -> (None, note)."""
    value = raw.get("indicator")
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if value is None:
        return None, None
    text = str(value)[:20].strip()
    if text.isascii() and text.isdigit() and int(text) in set(indicator_ids):
        return int(text), None
    return None, _("Linkin indikaattoria ei löytynyt; valitse indikaattori listasta.")
