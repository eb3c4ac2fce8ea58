"""What every output of a municipality card is built from: context, situation, the county's
positions and the card itself.

Reads the warehouse through dashboard.data and composes the model, with no Streamlit (like
reports.assemble for groups): `hyte export --municipality` calls these directly and
ui.card_views wraps them in st.cache_data for the page. `cat` is the localized
data.catalogue(version).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from dashboard import data
from dashboard.i18n import names
from dashboard.i18n.catalog import _, current
from dashboard.model import comparison, kuntakortti, ngo, situation


class UnknownMunicipality(ValueError):
    """A code that is not one of the county's municipalities; the message names the valid ones."""


def county_ids(cat: dict) -> tuple[int, int]:
    """(wellbeing services county, whole country) region ids of the warehouse."""
    return int(cat["meta"]["county_region_id"]), int(cat["meta"]["country_region_id"])


def municipalities(cat: dict) -> pd.DataFrame:
    """The county's municipalities (region rows with display names), by name."""
    return kuntakortti.county_municipalities(cat["regions"], cat["meta"])


def valid_codes(cat: dict) -> list[str]:
    return [str(c) for c in sorted(municipalities(cat)["code"].astype(str))]


def resolve(cat: dict, codes: Iterable[str]) -> list[int]:
    """Official codes (or 'all') -> region ids in the county's group order for 'all'."""
    codes = [str(c).strip() for c in codes]
    if any(c.lower() == "all" for c in codes):
        return in_group_order(cat, [int(r) for r in municipalities(cat)["region_id"]])
    out = []
    for code in codes:
        rid = kuntakortti.resolve(cat["regions"], cat["meta"], code)
        if rid is None:
            raise UnknownMunicipality(
                f"unknown municipality code {code[:20]!r}; valid codes: "
                f"{', '.join(valid_codes(cat))} or all")
        if rid not in out:
            out.append(rid)
    return out


def groups_of(cat: dict) -> list[tuple[str, str, list[int]]]:
    """(group id, display name, member region ids by name) in the groups' order."""
    groups = cat["groups"]
    return [(str(g), str(n), [int(m) for m in ms]) for g, n, ms in zip(
        groups["group_id"], names.display(groups, "name"), groups["members"], strict=True)]


def in_group_order(cat: dict, region_ids: Sequence[int]) -> list[int]:
    """The ids ordered as the county prints them: group by group, then any outside a group."""
    wanted = set(region_ids)
    out = [m for _g, _n, members in groups_of(cat) for m in members if m in wanted]
    return out + [r for r in region_ids if r not in set(out)]


def year_slice(version: str, cat: dict) -> pd.DataFrame:
    """Every region's values of the catalogue's indicators (ranks and ranges)."""
    ids = tuple(sorted(int(i) for i in cat["indicators"]["indicator_id"]))
    return data.year_slice(version, ids, "total")


def county_positions(cat: dict, slice_: pd.DataFrame) -> comparison.Comparison:
    return kuntakortti.county_positions(cat["indicators"], slice_, cat["regions"], cat["meta"])


def card_situation(version: str, cat: dict, region_id: int,
                   observations: pd.DataFrame | None = None) -> situation.Situation:
    """The overview's situation model with the municipality as a one-member group."""
    ctx = kuntakortti.municipality_context(cat["regions"], cat["meta"], region_id)
    if observations is None:
        observations = data.observations(version, (*ctx.members, ctx.area_id, ctx.country_id))
    return situation.build(cat["indicators"], observations, ctx)


def card(version: str, cat: dict, region_id: int, slice_: pd.DataFrame | None = None,
         county: comparison.Comparison | None = None,
         answers: ngo.Answers | None | bool = False) -> kuntakortti.Card:
    """`answers`: the NGO survey's (ngo_answers), None for none; False reads them."""
    slice_ = slice_ if slice_ is not None else year_slice(version, cat)
    built = kuntakortti.build(region_id, cat, card_situation(version, cat, region_id), slice_,
                              county)
    built.ngo = ngo_picture(version, cat, built, answers)
    return built


def ngo_answers(version: str) -> ngo.Answers | None:
    frames = data.ngo_answers(version)
    return None if frames is None else ngo.Answers(frames)


def ngo_picture(version: str, cat: dict, c: kuntakortti.Card,
                answers: ngo.Answers | None | bool = False) -> ngo.Picture | None:
    """The latest NGO survey round's suppressed picture of the card's municipality."""
    answers = ngo_answers(version) if answers is False else answers
    if answers is None:
        return None
    regions = cat["regions"]
    names = dict(zip(regions["region_id"].astype(int), regions["name"], strict=True))
    return ngo.picture(answers, answers.rounds()[-1]["survey_id"], (c.region_id,), c.name,
                       names)


def cards_for(version: str, region_ids: Sequence[int],
              cat: dict | None = None) -> list[kuntakortti.Card]:
    """Cards straight from the warehouse (the export command's path): one read of the
    county's values and one set of county positions for all of them."""
    cat = cat if cat is not None else names.localize(data.catalogue(version), current())
    slice_ = year_slice(version, cat)
    county = county_positions(cat, slice_)
    answers = ngo_answers(version)
    return [card(version, cat, rid, slice_, county, answers) for rid in region_ids]


def contents(cat: dict, cards: Sequence[kuntakortti.Card]) -> list[tuple[str, list]]:
    """(group name, its cards) for the county set's contents page, in group order."""
    by_id = {c.region_id: c for c in cards}
    out = []
    placed = set()
    for _gid, name, members in groups_of(cat):
        part = [by_id[m] for m in members if m in by_id]
        placed.update(c.region_id for c in part)
        if part:
            out.append((name, part))
    rest = [c for c in cards if c.region_id not in placed]
    if rest:
        out.append((_("Muut kunnat"), rest))
    return out
