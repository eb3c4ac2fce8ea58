"""A synthetic Sotkanet catalogue of a few hundred indicators, in the API's shapes.

Generated deterministically here (nothing copied from real Sotkanet): the fixture's regions
and card indicators (tests/fixtures/sotkanet), plus `n` invented indicators with fi/sv/en
titles, producers, value types, ranges, data-updated dates, classifications and data rows
for every kept region. Written in the save_dir layout FakeSotkanet and RecordedResponses
serve. `touch()` changes some indicators' data-updated date (and a value), as Sotkanet
does when it publishes new figures.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from tests.fake_sotkanet import FIXTURE_DIR

FIRST_ID = 20000
TOPICS = [  # (fi, sv, en)
    ("yksinäisyyttä kokevat", "som känner sig ensamma", "feeling lonely"),
    ("tupakoivat", "som röker", "who smoke"),
    ("liikuntaa harrastavat", "som motionerar", "physically active"),
    ("masennusoireita kokevat", "med depressionssymtom", "with depressive symptoms"),
    ("työttömät", "arbetslösa", "unemployed"),
    ("toimeentulotukea saaneet", "som fått utkomststöd", "receiving social assistance"),
    ("ylipainoiset", "överviktiga", "overweight"),
    ("kiusatuksi tulleet", "som blivit mobbade", "bullied"),
]
AGES = [("20–64-vuotiaat", "20–64-åringar", "aged 20–64"),
        ("8. ja 9. luokan oppilaat", "elever i åk 8 och 9", "pupils in years 8 and 9"),
        ("75 vuotta täyttäneet", "75 år fyllda", "aged 75 and over")]
PRODUCERS = [(2, "Terveyden ja hyvinvoinnin laitos (THL)", "Institutet för hälsa och välfärd (THL)",
              "Finnish Institute for Health and Welfare (THL)"),
             (4, "Tilastokeskus", "Statistikcentralen", "Statistics Finland"),
             (7, "Kansaneläkelaitos (Kela)", "Folkpensionsanstalten (FPA)",
              "Social Insurance Institution (Kela)")]
SUBJECTS = ["Hyvinvointi", "Terveys", "Työ ja toimeentulo", "Lapset ja nuoret"]


def kept_regions(directory: Path) -> list[int]:
    raw = json.loads((directory / "regions.json").read_text(encoding="utf-8"))
    return [r["id"] for r in raw if r["category"] in ("KUNTA", "HYVINVOINTIALUE", "MAAKUNTA")
            or r["id"] == 658]


def write_catalogue(directory: Path, n: int = 300, years: tuple[int, int] = (2020, 2023),
                    seed: int = 16, no_data_every: int = 10) -> list[int]:
    """Write the catalogue into `directory`; returns the synthetic ids. Every
    `no_data_every`-th indicator has metadata but no rows (county-only or empty series)."""
    directory = Path(directory)
    if directory.exists():
        shutil.rmtree(directory)
    shutil.copytree(FIXTURE_DIR, directory, ignore=shutil.ignore_patterns("README.md"))
    rng = random.Random(seed)
    listing = json.loads((directory / "indicators.json").read_text(encoding="utf-8"))
    regions = kept_regions(directory)
    ids = []
    for k in range(n):
        iid = FIRST_ID + k
        ids.append(iid)
        topic, age = TOPICS[k % len(TOPICS)], AGES[(k // len(TOPICS)) % len(AGES)]
        org = PRODUCERS[k % len(PRODUCERS)]
        title = {"fi": f"{topic[0].capitalize()} {age[0]}, % (synteettinen {k})",
                 "sv": f"{age[1].capitalize()} {topic[1]}, % (syntetisk {k})",
                 "en": f"{age[2].capitalize()} {topic[2]}, % (synthetic {k})"}
        organization = {"id": org[0], "title": {"fi": org[1], "sv": org[2], "en": org[3]}}
        listing.append({"id": iid, "title": title, "organization": organization})
        genders = ["total", "male", "female"] if k % 3 else ["total"]
        meta = {
            "id": iid, "title": title, "organization": organization,
            "description": {"fi": f"Synteettinen indikaattori {k} testejä varten.",
                            "sv": None, "en": None},
            "primaryValueType": {"code": "percent",
                                 "title": {"fi": "prosentti", "sv": "procent", "en": "percent"}},
            "decimals": 1, "range": {"start": years[0], "end": years[1]},
            "data-updated": f"2025-{1 + k % 12:02d}-{1 + k % 28:02d}",
            "classifications": {"region": {"values": ["Kunta", "Hyvinvointialue", "Maakunta",
                                                      "Maa"]},
                                "sex": {"values": genders}},
            "subjects": [{"title": {"fi": SUBJECTS[k % len(SUBJECTS)]}}],
        }
        _write(directory / "indicators" / f"{iid}.json", meta)
        if no_data_every and k % no_data_every == no_data_every - 1:
            continue
        rows = [{"indicator": iid, "region": rid, "year": y, "gender": g,
                 "value": round(rng.uniform(1, 60), 1)}
                for rid in regions for y in range(years[0], years[1] + 1) for g in genders]
        _write(directory / "data" / f"{iid}.json", rows)
    _write(directory / "indicators.json", listing)
    return ids


def touch(directory: Path, ids: list[int], updated: str = "2026-11-30") -> None:
    """New data-updated dates (and a changed first value) for `ids`."""
    for iid in ids:
        path = Path(directory) / "indicators" / f"{iid}.json"
        meta = json.loads(path.read_text(encoding="utf-8"))
        meta["data-updated"] = updated
        _write(path, meta)
        data = Path(directory) / "data" / f"{iid}.json"
        if data.is_file():
            rows = json.loads(data.read_text(encoding="utf-8"))
            rows[0]["value"] = 99.9
            _write(data, rows)


def _write(path: Path, body) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
