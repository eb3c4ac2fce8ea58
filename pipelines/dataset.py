"""The normalised extract every source hands to the warehouse builder."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

REGION_COLUMNS = ["region_id", "code", "category", "name_fi", "name_sv", "name_en",
                  "county_id", "maakunta_id"]
OBSERVATION_COLUMNS = ["indicator_id", "region_id", "year", "gender", "value", "abs_value"]
META_KEYS = ["title_fi", "title_sv", "title_en", "producer", "description_fi",
             "interpretation_fi", "limits_fi", "notices_fi", "data_updated",
             "range_start", "range_end"]


@dataclass
class Dataset:
    """What one ingestion run extracted, before it becomes a warehouse.

    `failures` maps an indicator id to the one-line reason it could not be loaded; the rest
    is published (exit code 3) unless the run is strict. `dropped` counts implausible rows
    per indicator and rule (pipelines/plausibility.py); they are reported the same way.
    """

    source: str  # sotkanet | demo | dir
    regions: pd.DataFrame
    observations: pd.DataFrame
    metadata: dict[int, dict] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    detail: dict = field(default_factory=dict)
    dropped: dict[int, dict[str, int]] = field(default_factory=dict)
    # The NGO surveys of the run (pipelines.surveys.load.Surveys), or None for none.
    surveys: object | None = None
    # The whole Sotkanet catalogue (sotkanet.catalogue.CATALOGUE_COLUMNS), None = the card's
    catalogue: pd.DataFrame | None = None
    # bulk_load.BulkResult: more indicators' rows, streamed into the build from files
    bulk: object | None = None


def empty_observations() -> pd.DataFrame:
    return pd.DataFrame({
        "indicator_id": pd.Series(dtype="int32"),
        "region_id": pd.Series(dtype="int32"),
        "year": pd.Series(dtype="int16"),
        "gender": pd.Series(dtype="object"),
        "value": pd.Series(dtype="float64"),
        "abs_value": pd.Series(dtype="float64"),
    })
