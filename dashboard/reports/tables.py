"""Exactly the table on screen as Finnish-Excel CSV and as Parquet, each naming its source.

Pure (no Streamlit): a page builds one typed frame (numbers rounded to what it shows),
formats it for the screen with `screen()` and offers `csv_bytes()`/`parquet_bytes()` of the
same frame, so the three cannot drift apart.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.i18n import notices
from dashboard.i18n.catalog import _
from dashboard.i18n.formatting import number

CSV_ENCODING = "utf-8-sig"  # the BOM makes Excel read UTF-8 (ä, ö) correctly
CSV_SEPARATOR = ";"         # Finnish Excel's list separator (the comma is the decimal mark)
SOURCE_PREFIX = "# "
SOURCE_KEY = b"source"


def rounded(frame: pd.DataFrame, decimals: Mapping[str, Sequence[int] | int]) -> pd.DataFrame:
    """Round each numeric column to the decimals it is shown with (per row when a sequence)."""
    out = frame.copy()
    for col, dec in decimals.items():
        values = pd.to_numeric(out[col], errors="coerce").astype(float).to_numpy()
        dec = np.broadcast_to(np.asarray(dec, dtype=int), values.shape)
        out[col] = [round(v, int(d)) if np.isfinite(v) else np.nan
                    for v, d in zip(values, dec, strict=True)]
    return out


def screen(frame: pd.DataFrame, decimals: Mapping[str, Sequence[int] | int]) -> pd.DataFrame:
    """The same frame as text in the current language's format (fi, sv: decimal comma and
    NBSP thousands; en: '1,234.5'), '–' for missing."""
    out = frame.copy()
    for col, dec in decimals.items():
        dec = np.broadcast_to(np.asarray(dec, dtype=int), (len(out),))
        out[col] = [number(v, int(d)) for v, d in zip(out[col], dec, strict=True)]
    for col in out.columns:
        if col not in decimals:
            out[col] = ["–" if _missing(v) else str(v) for v in out[col]]
    return out


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def csv_bytes(frame: pd.DataFrame, source: str) -> bytes:
    """UTF-8 with BOM, ';' separator, decimal comma; the first line names the source."""
    if "\n" in source or CSV_SEPARATOR in source:
        raise ValueError("the source line must be one line without ';'")
    body = formula_safe(frame).to_csv(sep=CSV_SEPARATOR, decimal=",", index=False,
                                      lineterminator="\r\n")
    return (SOURCE_PREFIX + source + "\r\n" + body).encode(CSV_ENCODING)


# A text cell that begins like a formula would run as one when the CSV opens in Excel or
# LibreOffice (=HYPERLINK(...) sends the reader's data away): OWASP's rule, a leading '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells starting with a formula character get a leading apostrophe."""
    out = frame
    for col in frame.columns:
        if frame[col].dtype.kind in "biufcmM":
            continue
        values = frame[col].tolist()
        guarded = ["'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v
                   for v in values]
        if guarded != values:
            out = out.copy() if out is frame else out
            out[col] = guarded
    return out


def read_csv(data: bytes) -> tuple[str, pd.DataFrame]:
    """(source line, frame): how an analyst (or a test) reads a downloaded CSV back."""
    text = data.decode(CSV_ENCODING)
    first, _sep, body = text.partition("\r\n")
    frame = pd.read_csv(io.StringIO(body), sep=CSV_SEPARATOR, decimal=",")
    for col in frame.columns:  # undo formula_safe's guard
        if frame[col].dtype.kind not in "biufcmM":
            frame[col] = [v[1:] if isinstance(v, str) and v[:1] == "'" and v[1:2] in
                          FORMULA_START and v[1:2] != "" else v for v in frame[col]]
    return first.removeprefix(SOURCE_PREFIX), frame


def parquet_bytes(frame: pd.DataFrame, source: str) -> bytes:
    """Parquet with the source line in the file's key-value metadata."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = {**(table.schema.metadata or {}), SOURCE_KEY: source.encode("utf-8")}
    buf = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(meta), buf)
    return buf.getvalue()


def read_parquet(data: bytes) -> tuple[str, pd.DataFrame]:
    table = pq.read_table(io.BytesIO(data))
    return table.schema.metadata[SOURCE_KEY].decode("utf-8"), table.to_pandas()


def source_line(producers, built_at: str | None = None, demo: bool = False,
                what: str = "") -> str:
    """One line naming the source, licence, producers and build; no ';' (the CSV separator).

    In the current language; `what` (what the table is) comes translated from the caller.
    """
    parts = [notices.source_line()]
    if what:
        parts.append(what.rstrip(".") + ".")
    names = sorted({str(p) for p in producers if isinstance(p, str) and p.strip()})
    if names:
        parts.append(_("Tuottajat: {producers}.", producers=", ".join(names)))
    if built_at:
        parts.append(_("Tietovarasto koottu {built}.", built=built_at))
    if demo:
        parts.append(_("DEMOAINEISTO: synteettisiä lukuja, ei todellisia tietoja."))
    return " ".join(parts).replace(CSV_SEPARATOR, ",").replace("\n", " ").replace("\r", " ")
