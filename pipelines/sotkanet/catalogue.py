"""Sotkanet's whole indicator catalogue as warehouse rows (pure: raw JSON in, dicts out).

`/indicators` lists every indicator (id, title, organization); `/indicators/{id}` adds the
range, unit, decimals, data-updated date and classifications. One row per listed id; a
row whose metadata could not be read keeps what the list gave and says why.
"""

from __future__ import annotations

from typing import Any

from .transform import TransformError, _int_or_none, _text, indicator_meta

CATALOGUE_COLUMNS = (
    "indicator_id", "title_fi", "title_sv", "title_en", "producer", "organization_id",
    "primary_value_type", "decimals", "range_start", "range_end", "data_updated",
    "region_classes", "genders", "subjects", "description_fi", "in_card", "requested",
    "load_status", "load_detail", "rows",
)


def list_ids(raw: Any) -> list[int]:
    """The positive integer ids of an `/indicators` payload, in order, once each."""
    if not isinstance(raw, list):
        raise TransformError(f"indicator catalogue: expected a list, got {type(raw).__name__}")
    seen: dict[int, None] = {}
    for item in raw:
        iid = _int_or_none(item.get("id")) if isinstance(item, dict) else None
        if iid is not None and 0 < iid < 2**31:
            seen.setdefault(iid, None)
    return list(seen)


def _values(node: Any) -> str | None:
    """A classification's values ({values: [...]}, a list, or a string) as 'a, b, c'."""
    if isinstance(node, dict):
        node = node.get("values", node.get("title"))
    if isinstance(node, dict):
        node = node.get("fi")
    if isinstance(node, list):
        parts = []
        for v in node:
            text = _text(v, "fi") if isinstance(v, dict) else (str(v).strip() if v else "")
            if text:
                parts.append(text)
        return ", ".join(parts) or None
    return str(node).strip() or None if node else None


def _subjects(raw: dict) -> str | None:
    """Subjects / groups as the API gives them (titles in Finnish), joined with ' | '."""
    found = []
    for key in ("subjects", "subject", "groups", "themes"):
        node = raw.get(key)
        items = node if isinstance(node, list) else ([node] if node else [])
        for item in items:
            text = (_text(item.get("title"), "fi") or _text(item.get("name"), "fi")
                    if isinstance(item, dict) else str(item).strip())
            if text and text not in found:
                found.append(text)
    return " | ".join(found) or None


def catalogue_row(list_item: dict, meta_raw: dict | None, *, detail: str | None = None) -> dict:
    """One sotkanet_indicator row from a list item and (when read) its metadata."""
    iid = _int_or_none(list_item.get("id"))
    title = list_item.get("title")
    org = list_item.get("organization")
    row = {c: None for c in CATALOGUE_COLUMNS}
    row.update({
        "indicator_id": iid,
        "title_fi": _text(title, "fi") or _text(title, "sv") or _text(title, "en") or str(iid),
        "producer": _text(org.get("title"), "fi") if isinstance(org, dict) else _text(org, "fi"),
        "organization_id": _int_or_none(org.get("id")) if isinstance(org, dict) else None,
        "subjects": _subjects(list_item),
        "load_detail": detail,
    })
    row["title_sv"] = _text(title, "sv") or row["title_fi"]
    row["title_en"] = _text(title, "en") or row["title_fi"]
    if isinstance(meta_raw, dict):
        meta = indicator_meta(meta_raw)
        for key in ("title_fi", "title_sv", "title_en", "producer"):
            row[key] = meta.get(key) or row[key]
        mo = meta_raw.get("organization")
        if isinstance(mo, dict) and row["organization_id"] is None:
            row["organization_id"] = _int_or_none(mo.get("id"))
        row.update({k: meta.get(k) for k in ("primary_value_type", "decimals", "range_start",
                                              "range_end", "data_updated", "description_fi")})
        cls = meta_raw.get("classifications")
        cls = cls if isinstance(cls, dict) else {}
        row["region_classes"] = _values(cls.get("region"))
        row["genders"] = _values(cls.get("sex", cls.get("gender")))
        row["subjects"] = _subjects(meta_raw) or row["subjects"]
    return row
