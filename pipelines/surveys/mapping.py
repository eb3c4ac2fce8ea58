"""The mapping file (TOML) beside a survey export: which header holds which canonical field.

A coordinator writes one per export (the template ships an example). Unmapped headers are
never read: that is how contact persons, e-mails and phone numbers stay out of the
warehouse. A header that looks like a contact field may not be mapped at all.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.surveys import fields

MAX_BYTES = 1 * 2**20


class MappingError(ValueError):
    """The mapping cannot be used; the message names the file, the table and the key."""


@dataclass(frozen=True)
class Mapping:
    path: Path
    survey_id: str
    name: str
    round_year: int
    data_file: Path
    sheet: str | None = None
    list_separator: str | None = None     # None: split on ';', ',' and line breaks
    columns: dict[str, str] = field(default_factory=dict)          # field -> header
    options: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> header -> value
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> answer -> value

    def headers(self) -> list[tuple[str, str]]:
        """(header, field) of every mapped column, in mapping order."""
        out = [(h, f) for f, h in self.columns.items()]
        out += [(h, f) for f, opts in self.options.items() for h in opts]
        return out


def load(path: Path) -> Mapping:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MappingError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise MappingError(f"{path}: larger than 1 MB; not a mapping file")
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise MappingError(f"{path}: not UTF-8; save the mapping as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: not valid TOML: {exc}") from None
    survey = _table(path, doc, "survey")
    name = survey.get("name")
    if not isinstance(name, str) or not name.strip():
        raise MappingError(f"{path}: [survey] needs 'name' (the survey's name, shown on figures)")
    year = survey.get("round")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise MappingError(f"{path}: [survey] 'round' must be the survey's year (2000..2100), "
                           f"got {year!r}")
    file_name = survey.get("file")
    if not isinstance(file_name, str) or not file_name.strip() or "/" in file_name \
            or "\\" in file_name:
        raise MappingError(f"{path}: [survey] 'file' must name the export beside the mapping "
                           "(a file name, no folders)")
    if Path(file_name).suffix.lower() not in (".xlsx", ".csv"):
        raise MappingError(f"{path}: [survey] 'file' {file_name!r} must be an .xlsx or .csv export")
    sheet = survey.get("sheet")
    sep = survey.get("list_separator")
    for k, v in (("sheet", sheet), ("list_separator", sep)):
        if v is not None and (not isinstance(v, str) or not v):
            raise MappingError(f"{path}: [survey] '{k}' must be a non-empty string")
    columns = _strings(path, doc, "columns")
    for f in columns:
        if f not in fields.FIELDS:
            raise MappingError(f"{path}: [columns] '{f}' is not a canonical field "
                               f"(known: {', '.join(fields.FIELDS)})")
    options = {}
    for f, table in _table(path, doc, "options").items():
        if f not in fields.MULTI:
            raise MappingError(f"{path}: [options.{f}]: only multi-select fields have options "
                               f"({', '.join(fields.MULTI)})")
        options[f] = _strings(path, {f: table}, f, where=f"options.{f}")
        if f in columns:
            raise MappingError(f"{path}: '{f}' is mapped both in [columns] and [options.{f}]; "
                               "use one: a list column or one column per option")
    aliases = {}
    for f, table in _table(path, doc, "aliases").items():
        if f not in (*fields.MULTI, "org_type"):
            raise MappingError(f"{path}: [aliases.{f}]: aliases are for org_type and the "
                               f"multi-select fields")
        aliases[f] = {fields.key(k): v for k, v in
                      _strings(path, {f: table}, f, where=f"aliases.{f}").items()}
    mapping = Mapping(path, path.stem, name.strip(), year, path.parent / file_name, sheet, sep,
                      columns, options, aliases)
    seen: dict[str, str] = {}
    for header, f in mapping.headers():
        if fields.CONTACT_HEADER.search(header):
            raise MappingError(f"{path}: column {header!r} looks like contact details; "
                               "contact persons, e-mails and phones are never imported")
        k = fields.key(header)
        if k in seen:
            raise MappingError(f"{path}: column {header!r} is mapped twice "
                               f"({seen[k]} and {f})")
        seen[k] = f
    missing = [f for f in fields.REQUIRED if f not in columns and f not in options]
    if missing:
        raise MappingError(f"{path}: no column mapped for {', '.join(missing)} "
                           "(every survey needs the organisation type and its municipalities)")
    return mapping


def _table(path: Path, doc: dict, name: str) -> dict:
    value = doc.get(name, {})
    if not isinstance(value, dict):
        raise MappingError(f"{path}: '{name}' must be a table ([{name}])")
    return value


def _strings(path: Path, doc: dict, name: str, where: str | None = None) -> dict[str, str]:
    table = _table(path, doc, name)
    for k, v in table.items():
        if not isinstance(v, str) or not v.strip():
            raise MappingError(f"{path}: [{where or name}] '{k}' must be a non-empty string")
    return {k: v.strip() for k, v in table.items()}
