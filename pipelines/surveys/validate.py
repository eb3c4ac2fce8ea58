"""One survey export + its mapping -> canonical answers, or the list of what is wrong.

Every problem is one line naming the file, the row and the column as the spreadsheet shows
them. A survey with any problem is skipped whole (the rest of the build is published):
a half-loaded survey would give wrong counts per group without saying so.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from pipelines.config import Config
from pipelines.surveys import fields
from pipelines.surveys.mapping import Mapping
from pipelines.surveys.read import Table
from pipelines.text import printable

ALL = "*"  # an answer naming the whole county
WHOLE_COUNTY = ("kaikki", "kaikki kunnat", "koko maakunta", "koko hyvinvointialue",
                "koko alue", "koko keski-suomi")
UNCHECKED = {"0", "ei", "no", "false", "epätosi", "nej", "-"}
MAX_PROBLEMS = 20


@dataclass
class Answer:
    row: int
    org_type: str | None = None
    numbers: dict[str, int | None] = field(default_factory=dict)
    municipalities: set[int] = field(default_factory=set)
    activities: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    priorities: set[str] = field(default_factory=set)
    need: str | None = None


def municipality_lookup(config: Config) -> dict[str, int | str]:
    """Folded name, Swedish name or official code -> Sotkanet region id (ALL: every one)."""
    out: dict[str, int | str] = {}
    for m in config.municipalities:
        for name in (m.name_fi, m.name_sv, m.code, m.code.lstrip("0")):
            if name:
                out[fields.key(name)] = m.region_id
    for name in (*WHOLE_COUNTY, config.county.name_fi, config.maakunta.name_fi):
        out.setdefault(fields.key(name), ALL)
    return out


_SUFFIX = re.compile(r"\s+(kaupunki|kunta|stad|kommun|town|municipality)$")


def find_municipality(text: str, lookup: dict, aliases: dict[str, str]) -> int | str | None:
    k = fields.key(text)
    if k in aliases:
        k = fields.key(aliases[k])
    if k in lookup:
        return lookup[k]
    stem = _SUFFIX.sub("", k)  # "Jyväskylän kaupunki" -> "jyväskylän" -> Jyväskylä
    for candidate in (stem, stem[:-1] if stem.endswith("n") else None):
        if candidate and candidate in lookup:
            return lookup[candidate]
    return None


def answers(table: Table, mapping: Mapping, config: Config) -> tuple[list[Answer], list[str]]:
    """The rows as canonical answers, and the problems (empty when the survey can load)."""
    where = str(table.path)
    index = table.index()
    problems: list[str] = []
    positions: dict[str, int] = {}
    for header, f in mapping.headers():
        pos = index.get(fields.key(header))
        if pos is None:
            problems.append(f"{where}: column {printable(header)!r} (mapped to {f}) is not in "
                            f"the header row (row {table.header_row})")
        else:
            positions[header] = pos
    if problems:
        return [], problems
    lookup = municipality_lookup(config)
    all_ids = {m.region_id for m in config.municipalities}
    out: list[Answer] = []
    seen_orgs: dict[str, int] = {}

    def cell(cells: list, header: str):
        pos = positions[header]
        v = cells[pos] if pos < len(cells) else None
        if isinstance(v, str):
            v = v.strip()
        return None if v is None or v == "" else v

    def problem(row: int, header: str, text: str) -> None:
        problems.append(f"{where}: row {row}, column {printable(header)!r}: {text}")

    for row, cells in table.rows:
        if all(cell(cells, h) is None for h, _f in mapping.headers()):
            continue  # an empty row (exports end with some)
        a = Answer(row)
        for f, header in mapping.columns.items():
            v = cell(cells, header)
            if v is None:
                continue
            if f == "organisation":
                k = fields.key(v)
                if k in seen_orgs:
                    problem(row, header, f"duplicate organisation: the same as on row "
                                         f"{seen_orgs[k]} (one answer per organisation)")
                seen_orgs.setdefault(k, row)
            elif f == "org_type":
                code = _code(v, fields.ORG_TYPES, mapping.aliases.get(f, {}))
                if code is None:
                    problem(row, header, f"unknown organisation type {_shown(v)} "
                                         f"(known: {', '.join(fields.ORG_TYPES)})")
                a.org_type = code
            elif f in fields.NUMBERS:
                lo, hi = fields.NUMBERS[f]
                n = _whole(v)
                if n is None or not lo <= n <= hi:
                    problem(row, header, f"{_shown(v)} is not a whole number in {lo}..{hi}")
                a.numbers[f] = n
            elif f == "development_needs":
                a.need = fields.redact(str(v))
            else:  # a multi-select field as one list column
                for part in _split(str(v), mapping.list_separator):
                    _add(a, f, part, row, header, problem, lookup, all_ids, mapping)
        for f, options in mapping.options.items():
            for header, value in options.items():
                v = cell(cells, header)
                if v is None or fields.key(v) in UNCHECKED:
                    continue
                _add(a, f, value, row, header, problem, lookup, all_ids, mapping)
        out.append(a)
        if len(problems) >= MAX_PROBLEMS:
            problems.append(f"{where}: more problems not listed (stopped at row {row})")
            break
    if not out and not problems:
        problems.append(f"{where}: no answers below the header row (row {table.header_row})")
    return out, problems


def _add(a: Answer, f: str, value: str, row: int, header: str, problem, lookup, all_ids,
         mapping: Mapping) -> None:
    aliases = mapping.aliases.get(f, {})
    if f == "municipalities":
        rid = find_municipality(value, lookup, aliases)
        if rid is None:
            problem(row, header, f"unknown municipality {_shown(value)} (not in regions.toml; "
                                 f"add it under [aliases.municipalities] if it is another "
                                 f"name for one)")
        elif rid == ALL:
            a.municipalities |= all_ids
        else:
            a.municipalities.add(rid)
        return
    code = _code(value, fields.VOCABULARIES[f], aliases)
    if code is None:
        problem(row, header, f"unknown value {_shown(value)} for {f} "
                             f"(known: {', '.join(fields.VOCABULARIES[f])})")
        return
    getattr(a, f).add(code)


def _code(value, vocabulary: dict[str, str], aliases: dict[str, str]) -> str | None:
    k = fields.key(value)
    if k in aliases:
        k = fields.key(aliases[k])
    for code, label in vocabulary.items():
        if k in (fields.key(code), fields.key(label)):
            return code
    return None


def _split(text: str, separator: str | None) -> list[str]:
    parts = text.split(separator) if separator else re.split(r"[;,\n]", text)
    return [p.strip() for p in parts if p.strip()]


def _whole(v) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if math.isfinite(v) and v.is_integer() else None
    text = str(v).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        f = float(text)
    except ValueError:
        return None
    return int(f) if math.isfinite(f) and f.is_integer() else None


def _shown(v) -> str:
    return repr(printable(str(v), limit=60))
