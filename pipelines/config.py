"""Load and validate the versioned configuration in data/*.toml (regions, groups, catalogue)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_DIR = PROJECT_ROOT / "data"

PRIORITIES = ("mental_wellbeing", "everyday_safety", "active_lifestyle", "context")
POLARITIES = ("high_good", "low_good", "no_judgement")
# unit -> (scale of the value per person, comparison method when a numerator exists)
UNITS = {
    "percent": (100, "proportion"),
    "per_1000": (1_000, "rate"),
    "per_10000": (10_000, "rate"),
    "per_100000": (100_000, "rate"),
    "index": (None, "none"),
    "count": (None, "none"),
    "euro": (None, "none"),
    "years": (None, "none"),
    "litres": (None, "none"),
}
COVERAGES = ("municipality", "county")
SCHEDULES = ("annual", "biennial_odd", "biennial_even", "terve_suomi")
REGION_CATEGORIES = ("KUNTA", "HYVINVOINTIALUE", "MAAKUNTA", "MAA")


class ConfigError(ValueError):
    """A configuration file is invalid; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Region:
    region_id: int
    code: str
    category: str
    name_fi: str
    name_sv: str
    name_en: str


@dataclass(frozen=True)
class Group:
    group_id: str
    name_fi: str
    name_sv: str
    name_en: str
    sort_order: int
    members: tuple[int, ...]  # Sotkanet region ids


@dataclass(frozen=True)
class Indicator:
    indicator_id: int
    name_fi: str
    name_sv: str
    name_en: str
    priority: str
    polarity: str
    unit: str
    decimals: int
    verified: bool
    coverage: str
    schedule: str
    numerator: bool
    typical: float
    rationale: str
    sort_order: int

    @property
    def comparison(self) -> str:
        """Interval method: proportion (Wilson), rate (Poisson) or none."""
        return UNITS[self.unit][1] if self.numerator else "none"

    @property
    def scale(self) -> int | None:
        return UNITS[self.unit][0]


@dataclass(frozen=True)
class Config:
    county: Region
    maakunta: Region
    country: Region
    municipalities: tuple[Region, ...]
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    directory: Path = field(default=DEFAULT_CONFIG_DIR)

    def indicator(self, indicator_id: int) -> Indicator:
        for ind in self.indicators:
            if ind.indicator_id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    @property
    def named_regions(self) -> tuple[Region, ...]:
        return (self.county, self.maakunta, self.country, *self.municipalities)


def config_dir() -> Path:
    return Path(os.environ.get("HYTE_CONFIG_DIR", DEFAULT_CONFIG_DIR))


def load_config(directory: Path | str | None = None) -> Config:
    directory = Path(directory) if directory else config_dir()
    regions = _read(directory / "regions.toml")
    groups = _read(directory / "groups.toml")
    catalogue = _read(directory / "indicators.toml")

    rfile = directory / "regions.toml"
    county = _region(rfile, "county", regions.get("county"), "HYVINVOINTIALUE")
    maakunta = _region(rfile, "maakunta", regions.get("maakunta"), "MAAKUNTA")
    country = _region(rfile, "country", regions.get("country"), "MAA")
    munis = tuple(
        _region(rfile, f"municipality #{i + 1}", entry, "KUNTA")
        for i, entry in enumerate(_list(rfile, regions, "municipality"))
    )
    if not munis:
        raise ConfigError(f"{rfile}: no [[municipality]] entries")
    _unique(rfile, "municipality", "region_id", [m.region_id for m in munis])
    _unique(rfile, "municipality", "code", [m.code for m in munis])

    by_code = {m.code: m.region_id for m in munis}
    gfile = directory / "groups.toml"
    county_ref = groups.get("county_region_id", county.region_id)
    if county_ref != county.region_id:
        raise ConfigError(
            f"{gfile}: field 'county_region_id' is {county_ref!r} but regions.toml names "
            f"county {county.region_id}"
        )
    group_list = tuple(
        _group(gfile, i, entry, by_code) for i, entry in enumerate(_list(gfile, groups, "group"))
    )
    if not group_list:
        raise ConfigError(f"{gfile}: no [[group]] entries")
    _unique(gfile, "group", "id", [g.group_id for g in group_list])
    seen: dict[int, str] = {}
    for g in group_list:
        for m in g.members:
            if m in seen:
                raise ConfigError(
                    f"{gfile}: group '{g.group_id}' field 'members': municipality {m} "
                    f"is already in group '{seen[m]}'"
                )
            seen[m] = g.group_id

    ifile = directory / "indicators.toml"
    indicators = tuple(
        _indicator(ifile, i, entry) for i, entry in enumerate(_list(ifile, catalogue, "indicator"))
    )
    if not indicators:
        raise ConfigError(f"{ifile}: no [[indicator]] entries")
    _unique(ifile, "indicator", "id", [ind.indicator_id for ind in indicators])
    return Config(county, maakunta, country, munis, group_list, indicators, directory)


MAX_CONFIG_BYTES = 4 * 2**20  # the shipped catalogue is ~40 kB
ID_MAX = 2**31 - 1  # Sotkanet ids are stored as 32-bit INTEGERs


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a TOML file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES // 2**20} MB; "
                          "not a configuration file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}: line {line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); "
                          "save the file as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a configuration file") from None


def _list(path: Path, doc: dict, key: str) -> list[dict]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{path}: '{key}' must be a list of tables ([[{key}]])")
    return value


def _field(path: Path, entry_name: str, entry: dict, key: str, kind, *, default=...):
    if key not in entry:
        if default is not ...:
            return default
        raise ConfigError(f"{path}: {entry_name}: missing field '{key}'")
    value = entry[key]
    ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ConfigError(
            f"{path}: {entry_name}: field '{key}' must be {kind.__name__}, got {value!r}"
        )
    if isinstance(value, str) and not value.strip():
        raise ConfigError(f"{path}: {entry_name}: field '{key}' is empty")
    return value


def _id(path: Path, entry_name: str, entry: dict, key: str) -> int:
    value = _field(path, entry_name, entry, key, int)
    if not 1 <= value <= ID_MAX:
        raise ConfigError(f"{path}: {entry_name}: field '{key}' must be a Sotkanet id "
                          f"1..{ID_MAX}, got {value}")
    return value


def _choice(path: Path, entry_name: str, entry: dict, key: str, allowed, *, default=...) -> str:
    value = _field(path, entry_name, entry, key, str, default=default)
    if value not in allowed:
        raise ConfigError(
            f"{path}: {entry_name}: field '{key}' is {value!r}; expected one of "
            + ", ".join(allowed)
        )
    return value


def _region(path: Path, name: str, entry, category: str) -> Region:
    if not isinstance(entry, dict):
        raise ConfigError(f"{path}: missing table [{name}]")
    name_fi = _field(path, name, entry, "name_fi", str)
    label = f"{name} ({name_fi})"
    cat = _choice(path, label, entry, "category", REGION_CATEGORIES, default=category)
    if cat != category:
        raise ConfigError(f"{path}: {label}: field 'category' must be {category}, got {cat!r}")
    return Region(
        region_id=_id(path, label, entry, "region_id"),
        code=_field(path, label, entry, "code", str),
        category=cat,
        name_fi=name_fi,
        name_sv=_field(path, label, entry, "name_sv", str, default=name_fi),
        name_en=_field(path, label, entry, "name_en", str, default=name_fi),
    )


def _group(path: Path, i: int, entry: dict, by_code: dict[str, int]) -> Group:
    label = f"group #{i + 1}"
    gid = _field(path, label, entry, "id", str)
    label = f"group '{gid}'"
    if not gid.replace("-", "").replace("_", "").isalnum() or not gid.isascii():
        raise ConfigError(f"{path}: {label}: field 'id' may hold only a-z, 0-9, '-' and '_'")
    members = _field(path, label, entry, "members", list)
    if not members:
        raise ConfigError(f"{path}: {label}: field 'members' is empty")
    ids = []
    for code in members:
        if code not in by_code:
            raise ConfigError(
                f"{path}: {label}: field 'members': {code!r} is not a municipality code "
                "in regions.toml"
            )
        ids.append(by_code[code])
    name_fi = _field(path, label, entry, "name_fi", str)
    return Group(
        group_id=gid,
        name_fi=name_fi,
        name_sv=_field(path, label, entry, "name_sv", str, default=name_fi),
        name_en=_field(path, label, entry, "name_en", str, default=name_fi),
        sort_order=i + 1,
        members=tuple(ids),
    )


def _indicator(path: Path, i: int, entry: dict) -> Indicator:
    label = f"indicator #{i + 1}"
    iid = _id(path, label, entry, "id")
    label = f"indicator {iid}"
    unit = _choice(path, label, entry, "unit", tuple(UNITS))
    numerator = _field(path, label, entry, "numerator", bool, default=False)
    decimals = _field(path, label, entry, "decimals", int, default=1)
    if not 0 <= decimals <= 4:
        raise ConfigError(f"{path}: {label}: field 'decimals' must be 0..4, got {decimals}")
    typical = _field(path, label, entry, "typical", float)
    if typical < 0 or (unit == "percent" and typical > 100):
        raise ConfigError(f"{path}: {label}: field 'typical' {typical} is out of range for {unit}")
    return Indicator(
        indicator_id=iid,
        name_fi=_field(path, label, entry, "name_fi", str),
        name_sv=_field(path, label, entry, "name_sv", str),
        name_en=_field(path, label, entry, "name_en", str),
        priority=_choice(path, label, entry, "priority", PRIORITIES),
        polarity=_choice(path, label, entry, "polarity", POLARITIES),
        unit=unit,
        decimals=decimals,
        verified=_field(path, label, entry, "verified", bool),
        coverage=_choice(path, label, entry, "coverage", COVERAGES, default="municipality"),
        schedule=_choice(path, label, entry, "schedule", SCHEDULES, default="annual"),
        numerator=numerator,
        typical=typical,
        rationale=_field(path, label, entry, "rationale", str),
        sort_order=i + 1,
    )


def _unique(path: Path, entry_kind: str, key: str, values: list) -> None:
    seen = set()
    for v in values:
        if v in seen:
            raise ConfigError(f"{path}: {entry_kind} with {key} {v!r} appears twice")
        seen.add(v)
