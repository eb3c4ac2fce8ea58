"""Pure transforms from Sotkanet's raw JSON shapes to typed frames and metadata dicts."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd

from ..plausibility import ID_MAX, ID_MIN, YEAR_MAX, YEAR_MIN
from .settings import COUNTRY_ID, GENDERS, KEEP_CATEGORIES


class TransformError(ValueError):
    """A raw Sotkanet payload cannot be turned into the warehouse shape; says why."""


REGION_COLUMNS = (
    "region_id",
    "code",
    "category",
    "name_fi",
    "name_sv",
    "name_en",
    "county_id",
    "maakunta_id",
)
OBSERVATION_COLUMNS = ("indicator_id", "region_id", "year", "gender", "value", "abs_value")
OBSERVATION_KEY = ["indicator_id", "region_id", "year", "gender"]


# -- regions ---------------------------------------------------------------------------


def regions_frame(
    raw: list[dict],
    keep_categories: tuple[str, ...] | list[str] = KEEP_CATEGORIES,
    country_id: int = COUNTRY_ID,
) -> pd.DataFrame:
    """One row per kept region; county_id/maakunta_id from memberOf (NA when not a member)."""
    if not isinstance(raw, list):
        raise TransformError(f"regions: expected a list of regions, got {type(raw).__name__}")
    keep = {str(c).upper() for c in keep_categories}

    parsed = []
    for i, row in enumerate(raw):
        if not isinstance(row, dict):
            raise TransformError(f"regions: item #{i} is {type(row).__name__}, not an object")
        rid = _int_or_none(row.get("id"))
        if rid is None:
            raise TransformError(f"regions: item #{i} has no integer 'id': {_short(row)}")
        category = row.get("category")
        if not isinstance(category, str) or not category.strip():
            raise TransformError(f"regions: region {rid} has no 'category'")
        members = row.get("memberOf") or []
        if not isinstance(members, list):
            members = [members]
        parsed.append((rid, category.strip().upper(), row, members))

    category_of = {rid: cat for rid, cat, _, _ in parsed}
    seen: set[int] = set()
    records = []
    for rid, category, row, members in parsed:
        if category not in keep or (category == "MAA" and rid != country_id):
            continue
        if not ID_MIN <= rid <= ID_MAX:
            # The warehouse stores 32-bit ids; never cast one onto another region.
            raise TransformError(
                f"regions: region id {rid} ({category}) is outside {ID_MIN}..{ID_MAX}"
            )
        if rid in seen:
            raise TransformError(f"regions: region id {rid} appears twice")
        seen.add(rid)
        member_ids = [m for m in (_int_or_none(x) for x in members) if m is not None]
        title = row.get("title")
        name_fi = _text(title, "fi") or _text(title, "sv") or _text(title, "en")
        name_fi = name_fi or str(row.get("code") or rid)
        records.append(
            {
                "region_id": rid,
                "code": _region_code(row.get("code"), category),
                "category": category,
                "name_fi": name_fi,
                "name_sv": _text(title, "sv") or name_fi,
                "name_en": _text(title, "en") or name_fi,
                "county_id": _first_of(member_ids, category_of, "HYVINVOINTIALUE"),
                "maakunta_id": _first_of(member_ids, category_of, "MAAKUNTA"),
            }
        )

    frame = pd.DataFrame.from_records(records, columns=list(REGION_COLUMNS))
    frame = frame.astype(
        {
            "region_id": "int64",
            "code": "str",
            "category": "str",
            "name_fi": "str",
            "name_sv": "str",
            "name_en": "str",
            "county_id": "Int64",
            "maakunta_id": "Int64",
        }
    )
    return frame.sort_values("region_id", kind="stable").reset_index(drop=True)


def _region_code(code: Any, category: str) -> str:
    if code is None:
        return ""
    text = str(code).strip()
    # Official municipality codes are three digits ("077"); a number loses the zeros.
    if category == "KUNTA" and text.isdigit() and len(text) < 3:
        text = text.zfill(3)
    return text


def _first_of(member_ids: list[int], category_of: dict[int, str], category: str) -> int | None:
    for m in member_ids:
        if category_of.get(m) == category:
            return m
    return None


# -- indicator metadata ----------------------------------------------------------------


def indicator_meta(raw: dict) -> dict:
    """The metadata fields the warehouse keeps, from GET /indicators/{id}."""
    if not isinstance(raw, dict):
        raise TransformError(f"indicator metadata: expected an object, got {type(raw).__name__}")
    title = raw.get("title")
    title_fi = _text(title, "fi")
    rng = raw.get("range") if isinstance(raw.get("range"), dict) else {}
    org = raw.get("organization")
    producer = _text(org.get("title"), "fi") if isinstance(org, dict) else _text(org, "fi")
    pvt = raw.get("primaryValueType")
    value_type = _text(pvt.get("title"), "fi") if isinstance(pvt, dict) else _text(pvt, "fi")
    return {
        "title_fi": title_fi,
        "title_sv": _text(title, "sv") or title_fi,
        "title_en": _text(title, "en") or title_fi,
        "producer": producer,
        "description_fi": _text(raw.get("description"), "fi"),
        "interpretation_fi": _text(raw.get("interpretation"), "fi"),
        "limits_fi": _text(raw.get("limits"), "fi"),
        "notices_fi": _text(raw.get("notices"), "fi"),
        "data_updated": _iso_date(
            raw.get("data-updated", raw.get("dataUpdated", raw.get("data_updated")))
        ),
        "range_start": _int_or_none(rng.get("start")),
        "range_end": _int_or_none(rng.get("end")),
        "decimals": _int_or_none(raw.get("decimals")),
        "primary_value_type": value_type,
    }


_FI_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def _iso_date(value: Any) -> str | None:
    """'YYYY-MM-DD' from an ISO date/datetime string, a Finnish d.m.yyyy or epoch (ms)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not np.isfinite(value):
            return None
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _FI_DATE.match(text)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


# -- observations ----------------------------------------------------------------------


def observations_frame(indicator_id: int, raw_rows: Any) -> tuple[pd.DataFrame, dict]:
    """Typed observation rows for one indicator, plus counts of what was dropped and why.

    Rows whose value is null or not a number are dropped (dropped_null). Of rows sharing a
    key (indicator, region, year, gender) the last is kept (dropped_duplicate): DuckDB
    would silently keep the first inside one INSERT. Nulls are dropped before duplicates,
    so a later null does not hide an earlier value. Rows whose region id is outside
    1..2**31-1 (dropped_region_id) or whose year is outside 1900..2100 (dropped_year) are
    dropped before any cast, and counted, so no row can land on another region.
    """
    if not isinstance(raw_rows, list):
        raise TransformError(
            f"data of indicator {indicator_id}: expected a list of rows, "
            f"got {type(raw_rows).__name__}"
        )
    rows_in = len(raw_rows)
    counts = {"rows_in": rows_in, "rows_out": 0, "dropped_null": 0, "dropped_duplicate": 0,
              "dropped_region_id": 0, "dropped_year": 0}
    if rows_in == 0:
        return _empty_observations(), counts
    bad = next((i for i, r in enumerate(raw_rows) if not isinstance(r, dict)), None)
    if bad is not None:
        raise TransformError(
            f"data of indicator {indicator_id}: row #{bad} is "
            f"{type(raw_rows[bad]).__name__}, not an object"
        )

    df = pd.DataFrame.from_records(raw_rows)
    where = f"data of indicator {indicator_id}"
    for key in ("indicator", "region", "year", "gender", "value"):
        if key not in df.columns:
            raise TransformError(f"{where}: rows have no '{key}' field")
    for key in ("indicator", "region", "year", "gender"):
        missing = df[key].isna()
        if missing.any():
            i = int(np.flatnonzero(missing.to_numpy())[0])
            raise TransformError(
                f"{where}: {int(missing.sum())} rows lack '{key}' (first: row #{i} "
                f"{_short(raw_rows[i])})"
            )

    # Whole numbers as floats, range-checked before any cast: an id cast to 32 bits
    # without a check wraps (2**32 + 85 became Jyväskylä's 85).
    ind = _integers(df["indicator"], where, "indicator", raw_rows)
    other = ind != int(indicator_id)
    if other.any():
        found = sorted({_plain(x) for x in ind[other].tolist()})[:5]
        raise TransformError(
            f"{where}: {int(other.sum())} rows belong to another indicator ({found})"
        )
    region = _integers(df["region"], where, "region", raw_rows)
    year = _integers(df["year"], where, "year", raw_rows)
    gender = df["gender"].astype(str).str.strip().str.lower()
    unknown = ~gender.isin(GENDERS)
    if unknown.any():
        raise TransformError(
            f"{where}: unknown gender {sorted(set(df['gender'][unknown].astype(str)))[:5]}; "
            f"expected one of {GENDERS}"
        )
    bad_region = ~region.between(ID_MIN, ID_MAX)
    bad_year = ~year.between(YEAR_MIN, YEAR_MAX) & ~bad_region
    counts["dropped_region_id"] = int(bad_region.sum())
    counts["dropped_year"] = int(bad_year.sum())
    in_range = (~bad_region & ~bad_year).to_numpy()
    value = _numbers(df["value"])
    abs_value = (
        _numbers(df["absValue"])
        if "absValue" in df.columns
        else pd.Series(np.nan, index=df.index, dtype="float64")
    )

    out = pd.DataFrame(
        {
            "indicator_id": np.full(int(in_range.sum()), int(indicator_id), dtype="int32"),
            "region_id": region[in_range].astype("int32").to_numpy(),
            "year": year[in_range].astype("int16").to_numpy(),
            "gender": gender[in_range].to_numpy(dtype=object),
            "value": value[in_range].to_numpy(dtype="float64"),
            "abs_value": abs_value[in_range].to_numpy(dtype="float64"),
        }
    )
    keep = out["value"].notna()
    counts["dropped_null"] = int((~keep).sum())
    out = out[keep]
    dup = out.duplicated(subset=OBSERVATION_KEY, keep="last")
    counts["dropped_duplicate"] = int(dup.sum())
    out = out[~dup]
    out = out.sort_values(["region_id", "year", "gender"], kind="stable").reset_index(drop=True)
    out["gender"] = out["gender"].astype("str")
    counts["rows_out"] = len(out)
    return out, counts


def _empty_observations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": pd.Series(dtype="int32"),
            "region_id": pd.Series(dtype="int32"),
            "year": pd.Series(dtype="int16"),
            "gender": pd.Series(dtype="str"),
            "value": pd.Series(dtype="float64"),
            "abs_value": pd.Series(dtype="float64"),
        }
    )


def _integers(col: pd.Series, where: str, key: str, raw_rows: list) -> pd.Series:
    """Whole numbers from ints, floats or numeric strings, as float64 (never cast here,
    so nothing wraps); anything else is an error. The caller checks the range."""
    num = _numbers(col)
    bad = num.isna() | (num != np.floor(num))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise TransformError(
            f"{where}: '{key}' is not an integer in {int(bad.sum())} rows "
            f"(first: row #{i} {_short(raw_rows[i])})"
        )
    return num


def _plain(x: float) -> int | float:
    return int(x) if abs(x) < 2**63 else x


def _numbers(col: pd.Series) -> pd.Series:
    """Floats from numbers or strings ("12.3", Finnish "12,3", "1 234,5"); else NaN."""
    if pd.api.types.is_bool_dtype(col):
        return pd.Series(np.nan, index=col.index, dtype="float64")
    if pd.api.types.is_numeric_dtype(col):
        num = col.astype("float64")
    else:
        is_text = col.map(type).eq(str)
        num = pd.to_numeric(col.where(~is_text & ~col.map(type).eq(bool)), errors="coerce")
        if is_text.any():
            text = (
                col[is_text]
                .str.replace("\u2212", "-", regex=False)  # minus sign
                .str.replace(r"[\s\u00a0\u202f]", "", regex=True)  # thousands spaces
                .str.replace(",", ".", regex=False)
            )
            num = num.astype("float64")
            num[is_text] = pd.to_numeric(text, errors="coerce")
        num = num.astype("float64")
    return num.where(np.isfinite(num))


# -- helpers ---------------------------------------------------------------------------


def _text(value: Any, lang: str) -> str | None:
    """A language version of a multilingual field ({fi, sv, en}, a plain string = fi)."""
    if isinstance(value, dict):
        value = value.get(lang)
    elif lang != "fi":
        return None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if not np.isfinite(number) or number != int(number):
        return None
    return int(number)


def _short(row: Any, limit: int = 120) -> str:
    text = repr(row)
    return text if len(text) <= limit else text[: limit - 1] + "…"
