"""Surveys into the warehouse: one canonical frame per ngo_* table, written before publish.

What is stored is what the mapping names and nothing else: no organisation name (the
org_id is the answer's ordinal in its file, `o0001`…, not derived from the name), no
contact details, free text with e-mails and phone numbers removed. A survey that fails
validation is skipped with its problems as warnings; the others load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.config import Config
from pipelines.surveys import mapping as mapping_
from pipelines.surveys import read, validate
from pipelines.text import printable

COLUMNS = {
    "ngo_survey": ["survey_id", "name", "round_year", "file_name", "organisations",
                   "loaded_at", "is_demo"],
    "ngo_org": ["survey_id", "org_id", "org_type", "members", "volunteers", "paid_staff",
                "coop_municipality", "coop_county", "coop_parish"],
    "ngo_org_region": ["survey_id", "org_id", "region_id"],
    "ngo_org_activity": ["survey_id", "org_id", "activity"],
    "ngo_org_target": ["survey_id", "org_id", "target"],
    "ngo_org_priority": ["survey_id", "org_id", "priority"],
    "ngo_org_need": ["survey_id", "org_id", "need"],
}
LINKS = {"ngo_org_region": "municipalities", "ngo_org_activity": "activities",
         "ngo_org_target": "targets", "ngo_org_priority": "priorities"}
NUMBER_COLUMNS = ("members", "volunteers", "paid_staff", "coop_municipality", "coop_county",
                  "coop_parish")


@dataclass
class Surveys:
    """Every loadable survey of a run as the ngo_* tables, and the warnings of the rest."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)

    def table(self, name: str) -> pd.DataFrame:
        return self.tables.get(name, pd.DataFrame(columns=COLUMNS[name]))

    def extend(self, other: Surveys) -> None:
        for name in COLUMNS:
            parts = [f for f in (self.tables.get(name), other.tables.get(name))
                     if f is not None and not f.empty]
            if parts:
                self.tables[name] = pd.concat(parts, ignore_index=True)
        self.warnings += other.warnings
        self.loaded += other.loaded


def frames(m_survey_id: str, name: str, round_year: int, file_name: str,
           answers: list[validate.Answer], *, is_demo: bool,
           loaded_at: datetime | None = None) -> Surveys:
    """The canonical answers of one survey as the ngo_* tables."""
    loaded_at = (loaded_at or datetime.now(UTC)).replace(tzinfo=None)
    orgs, links, needs = [], {t: [] for t in LINKS}, []
    for i, a in enumerate(answers, start=1):
        org_id = f"o{i:04d}"
        orgs.append({"survey_id": m_survey_id, "org_id": org_id, "org_type": a.org_type,
                     **{c: a.numbers.get(c) for c in NUMBER_COLUMNS}})
        for table, attr in LINKS.items():
            col = COLUMNS[table][2]
            links[table] += [{"survey_id": m_survey_id, "org_id": org_id, col: v}
                             for v in sorted(getattr(a, attr))]
        if a.need:
            needs.append({"survey_id": m_survey_id, "org_id": org_id, "need": a.need})
    tables = {
        "ngo_survey": pd.DataFrame([{
            "survey_id": m_survey_id, "name": name, "round_year": round_year,
            "file_name": file_name, "organisations": len(answers), "loaded_at": loaded_at,
            "is_demo": is_demo}]),
        "ngo_org": pd.DataFrame(orgs, columns=COLUMNS["ngo_org"]),
        "ngo_org_need": pd.DataFrame(needs, columns=COLUMNS["ngo_org_need"]),
        **{t: pd.DataFrame(rows, columns=COLUMNS[t]) for t, rows in links.items()},
    }
    for c in NUMBER_COLUMNS:
        tables["ngo_org"][c] = tables["ngo_org"][c].astype("Int64")
    tables["ngo_org_region"]["region_id"] = tables["ngo_org_region"]["region_id"].astype("int32")
    return Surveys(tables, [], [m_survey_id])


def load_one(path: Path, config: Config) -> Surveys:
    """One mapping file and the export it names; on any problem, only warnings."""
    try:
        m = mapping_.load(path)
        table = read.read(m.data_file, [h for h, _f in m.headers()], m.sheet)
    except (mapping_.MappingError, read.ReadError) as exc:
        return Surveys(warnings=[f"survey skipped: {printable(exc)}"])
    answers, problems = validate.answers(table, m, config)
    if problems:
        return Surveys(warnings=[f"survey skipped: {printable(p)}" for p in problems])
    return frames(m.survey_id, m.name, m.round_year, m.data_file.name, answers, is_demo=False)


def load_folder(folder: Path, config: Config) -> Surveys:
    """Every `*.toml` mapping in the folder; an export without a mapping is a warning."""
    out = Surveys()
    folder = Path(folder)
    if not folder.is_dir():
        return out
    mappings = sorted(folder.glob("*.toml"))
    named = set()
    for path in mappings:
        one = load_one(path, config)
        out.extend(one)
        try:
            named.add(mapping_.load(path).data_file.name)
        except mapping_.MappingError:
            pass
    for export in sorted([*folder.glob("*.xlsx"), *folder.glob("*.csv")]):
        if export.name not in named and not export.name.startswith("~$"):
            out.warnings.append(f"survey skipped: {printable(export)}: no mapping file names it "
                                "(add a .toml beside it; see data/survey_mapping.example.toml)")
    return out


def write(con: duckdb.DuckDBPyConnection, surveys: Surveys | None) -> None:
    """Insert the survey tables (already created by the warehouse schema)."""
    if surveys is None:
        return
    ids = surveys.table("ngo_survey")["survey_id"]
    if ids.duplicated().any():
        raise ValueError(f"two surveys share the id {ids[ids.duplicated()].iloc[0]!r}")
    for name, cols in COLUMNS.items():
        frame = surveys.table(name)
        if frame.empty:
            continue
        con.register("survey_df", frame[cols])
        con.execute(f"INSERT INTO {name} ({', '.join(cols)}) SELECT {', '.join(cols)} "
                    "FROM survey_df")
        con.unregister("survey_df")
