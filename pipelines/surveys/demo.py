"""Two synthetic rounds of the NGO survey (2023, 2025), deterministic, labelled DEMO.

Not real answers: a few hundred organisations spread over the municipalities roughly by
population (so small municipalities have few, and the "< 5" rule shows), each acting in
one to three municipalities or county-wide, with activities, target groups and priorities
that lean the way such surveys tend to. Run by `hyte ingest --source demo`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from pipelines.config import Config
from pipelines.surveys import fields
from pipelines.surveys.load import Surveys, frames
from pipelines.surveys.validate import Answer

ROUNDS = ((2023, 280), (2025, 310))
NAME = "Keski-Suomen järjestökysely (DEMO)"
LOADED_AT = datetime(2025, 11, 14, tzinfo=UTC)
# Relative weights by official code (Jyväskylä holds most organisations).
WEIGHT = {"179": 40, "182": 6, "410": 6, "992": 6, "500": 3, "249": 3, "729": 3, "931": 2}
TYPE_P = {"paikallisyhdistys": 0.46, "piiri": 0.08, "valtakunnallinen": 0.05, "saatio": 0.04,
          "seurakunta": 0.07, "urheiluseura": 0.22, "muu": 0.08}
NEEDS = (
    "Lisää vapaaehtoisia ja heidän koulutustaan (DEMO).",
    "Tiloja kohtaamispaikkatoimintaan edullisesti (DEMO).",
    "Pysyvämpää rahoitusta kuin vuosittaiset avustukset (DEMO).",
    "Yhteistyötä hyvinvointialueen kanssa ohjaamisessa (DEMO).",
    "Tietoa siitä, mitä muut järjestöt alueella tekevät (DEMO).",
    "Nuorten tavoittaminen ja mukaan saaminen (DEMO).",
)


def generate(config: Config, seed: int = 2025) -> Surveys:
    rng = np.random.default_rng(seed)
    munis = list(config.municipalities)
    weights = np.array([WEIGHT.get(m.code, 1) for m in munis], dtype=float)
    weights /= weights.sum()
    out = Surveys()
    for year, n in ROUNDS:
        answers = [_answer(rng, i + 2, munis, weights, year) for i in range(n)]
        out.extend(frames(f"demo-jarjestokysely-{year}", NAME, year, f"demo-{year}.xlsx",
                          answers, is_demo=True, loaded_at=LOADED_AT))
    return out


def _answer(rng, row, munis, weights, year) -> Answer:
    org_type = str(rng.choice(list(TYPE_P), p=list(TYPE_P.values())))
    a = Answer(row, org_type=org_type)
    if rng.random() < 0.03:
        a.municipalities = {m.region_id for m in munis}
    else:
        k = int(rng.choice([1, 1, 1, 2, 3]))
        picks = rng.choice(len(munis), size=k, replace=False, p=weights)
        a.municipalities = {munis[int(i)].region_id for i in picks}
    acts = list(fields.ACTIVITIES)
    p_act = np.array([0.35, 0.45, 0.2, 0.25, 0.4, 0.4, 0.3, 0.15, 0.1])
    if org_type == "urheiluseura":
        p_act[acts.index("liikunta")] = 0.95
    a.activities = {c for c, p in zip(acts, p_act, strict=True) if rng.random() < p} or {"muu"}
    tgts = list(fields.TARGETS)
    p_t = [0.3, 0.35, 0.25, 0.4, 0.35 + (0.05 if year == 2025 else 0), 0.2, 0.15]
    a.targets = {c for c, p in zip(tgts, p_t, strict=True) if rng.random() < p} or {"kaikki"}
    pri = set()
    if a.activities & {"vertaistuki", "kohtaamispaikka", "kulttuuri"} or rng.random() < 0.3:
        pri.add("mental_wellbeing")
    if a.activities & {"neuvonta"} or rng.random() < 0.2:
        pri.add("everyday_safety")
    if "liikunta" in a.activities or rng.random() < 0.15:
        pri.add("active_lifestyle")
    a.priorities = pri
    members = int(rng.lognormal(3.8, 1.0))
    a.numbers = {
        "members": members,
        "volunteers": int(rng.binomial(max(members, 1), 0.15)),
        "paid_staff": int(rng.poisson(0.4 if org_type != "valtakunnallinen" else 4)),
        "coop_municipality": _rating(rng, 3.2 if year == 2023 else 3.4),
        "coop_county": _rating(rng, 2.5 if year == 2023 else 2.8),
        "coop_parish": _rating(rng, 3.0),
    }
    if rng.random() < 0.35:
        a.need = str(rng.choice(NEEDS))
    return a


def _rating(rng, mean: float) -> int | None:
    if rng.random() < 0.12:
        return None  # not answered
    return int(np.clip(np.rint(rng.normal(mean, 1.0)), 1, 5))
