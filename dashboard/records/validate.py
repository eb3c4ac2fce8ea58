"""Input checks of the record: clear messages per field, nothing rendered.

Text is kept as typed (the pages and files escape it for their own syntax: markup is shown
as text, never rendered); only invisible and control characters go, as for every text
from outside (the same rule as dashboard.data.clean_text). Lengths are bounded so a pasted
document cannot swamp the pages and files.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from dashboard.i18n.catalog import PRIORITY_ORDER, _
from dashboard.records import schema

_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
TEXT_LIMIT = schema.TEXT_LENGTH  # goals, actions, notes, comments
NAME_LIMIT = schema.NAME_LENGTH  # place, names, organisations, time frame
MAX_INDICATORS = 10
MAX_PARTNERS = 30
PRIORITIES = PRIORITY_ORDER[:3]  # the three HYTE priorities (not the context)
FIRST_ROUND, LAST_ROUND = 2020, 2100


class ValidationError(ValueError):
    """Bad input: `problems` maps a field to its message (the form keeps what was typed)."""

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        super().__init__("; ".join(self.problems.values()))


def clean(value, limit: int, field: str, problems: dict, label: str, required: bool = False) -> str:
    text = "" if value is None else _INVISIBLE.sub("", str(value)).replace("\r\n", "\n").strip()
    if required and not text:
        problems[field] = _("{label}: kenttä on tyhjä.", label=label)
    elif len(text) > limit:
        problems[field] = _(
            "{label}: teksti on {n} merkkiä, enintään {limit} mahtuu.", label=label, n=len(text), limit=limit
        )
    return text


def choice(value, allowed, field: str, problems: dict, label: str) -> str:
    if value not in allowed:
        problems[field] = _("{label}: tuntematon valinta {value}.", label=label, value=str(value)[:40])
    return value


def number(value, field: str, problems: dict, label: str, required: bool = False) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems[field] = _("{label}: anna luku.", label=label)
        return None
    try:
        out = (
            float(str(value).replace(",", ".").replace("\u2212", "-"))
            if isinstance(value, str)
            else float(value)
        )
    except (TypeError, ValueError):
        problems[field] = _("{label}: ei ole luku.", label=label)
        return None
    if not math.isfinite(out):
        problems[field] = _("{label}: ei ole luku.", label=label)
        return None
    return out


@dataclass(frozen=True)
class IndicatorChoice:
    indicator_id: int
    direction: str
    target_value: float | None = None


def round_year(value, problems: dict) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if not FIRST_ROUND <= year <= LAST_ROUND:
        problems["round_year"] = _(
            "Neuvottelukierros: vuosi {first}–{last}.", first=FIRST_ROUND, last=LAST_ROUND
        )
    return year


def goal_input(priority, text, indicators, known_indicators) -> tuple[str, str, list[IndicatorChoice]]:
    """(priority, text, indicator choices) checked; ValidationError lists every problem."""
    problems: dict[str, str] = {}
    choice(priority, PRIORITIES, "priority", problems, _("Painopiste"))
    text = clean(text, TEXT_LIMIT, "text", problems, _("Tavoite"), required=True)
    chosen: list[IndicatorChoice] = []
    seen = set()
    known = {int(i) for i in known_indicators}
    for item in indicators or []:
        iid = item.indicator_id
        try:
            iid = int(iid)
        except (TypeError, ValueError):
            iid = -1
        if iid not in known:
            problems[f"indicator_{item.indicator_id}"] = _(
                "Seurantaindikaattori {id} ei ole indikaattoriluettelossa.", id=str(item.indicator_id)[:20]
            )
            continue
        if iid in seen:
            continue
        seen.add(iid)
        choice(item.direction, schema.DIRECTIONS, f"direction_{iid}", problems, _("Tavoiteltu suunta"))
        target = number(
            item.target_value,
            f"target_{iid}",
            problems,
            _("Tavoitearvo"),
            required=item.direction == "target",
        )
        chosen.append(IndicatorChoice(iid, item.direction, target if item.direction == "target" else None))
    if len(chosen) > MAX_INDICATORS:
        problems["indicators"] = _("Enintään {n} seurantaindikaattoria tavoitetta kohden.", n=MAX_INDICATORS)
    if problems:
        raise ValidationError(problems)
    return priority, text, chosen


def action_input(fields: dict, members: tuple[str, ...] = ()) -> dict:
    """An action's fields checked and cleaned (partners as [(organisation, kind)])."""
    problems: dict[str, str] = {}
    out = {
        "text": clean(fields.get("text"), TEXT_LIMIT, "text", problems, _("Toimenpide"), required=True),
        "responsible_kind": choice(
            fields.get("responsible_kind"),
            schema.RESPONSIBLE_KINDS,
            "responsible_kind",
            problems,
            _("Vastuutaho"),
        ),
        "responsible_name": clean(
            fields.get("responsible_name"), NAME_LIMIT, "responsible_name", problems, _("Vastuutahon nimi")
        ),
        "resources": clean(fields.get("resources"), TEXT_LIMIT, "resources", problems, _("Resurssit")),
        "time_frame": clean(fields.get("time_frame"), NAME_LIMIT, "time_frame", problems, _("Aikataulu")),
        "status": choice(fields.get("status", "planned"), schema.STATUSES, "status", problems, _("Tila")),
        "status_comment": clean(
            fields.get("status_comment"), TEXT_LIMIT, "status_comment", problems, _("Tilan kommentti")
        ),
        "status_date": fields.get("status_date"),
    }
    themes = list(dict.fromkeys(fields.get("themes") or []))
    for t in themes:
        choice(t, schema.THEMES, "themes", problems, _("Teemat"))
    out["themes"] = themes
    if (
        out["responsible_kind"] == "municipality"
        and members
        and out["responsible_name"]
        and out["responsible_name"] not in members
    ):
        problems["responsible_name"] = _(
            "Vastuutaho: {name} ei ole ryhmän kunta.", name=out["responsible_name"][:60]
        )
    partners = []
    for i, (organisation, kind) in enumerate(fields.get("partners") or []):
        org = clean(organisation, NAME_LIMIT, f"partner_{i}", problems, _("Yhteistyökumppani"), required=True)
        choice(kind, schema.PARTNER_KINDS, f"partner_kind_{i}", problems, _("Kumppanin laji"))
        partners.append((org, kind))
    if len(partners) > MAX_PARTNERS:
        problems["partners"] = _("Enintään {n} yhteistyökumppania toimenpidettä kohden.", n=MAX_PARTNERS)
    out["partners"] = partners
    if problems:
        raise ValidationError(problems)
    return out


def negotiation_input(fields: dict) -> dict:
    problems: dict[str, str] = {}
    out = {
        "place": clean(fields.get("place"), NAME_LIMIT, "place", problems, _("Paikka")),
        "notes": clean(fields.get("notes"), TEXT_LIMIT, "notes", problems, _("Muistiinpanot")),
        "held_on": fields.get("held_on"),
    }
    participants = []
    for kind, (count, names) in (fields.get("participants") or {}).items():
        choice(kind, schema.PARTICIPANT_KINDS, f"participants_{kind}", problems, _("Osallistujat"))
        try:
            n = int(count or 0)
        except (TypeError, ValueError):
            n = -1
        if not 0 <= n <= 10_000:
            problems[f"count_{kind}"] = _("Osallistujien määrä: 0–10 000.")
        text = clean(names, TEXT_LIMIT, f"names_{kind}", problems, _("Osallistujien nimet"))
        if n or text:
            participants.append((kind, max(n, 0), text))
    out["participants"] = participants
    if problems:
        raise ValidationError(problems)
    return out


def parse_partners(text: str) -> list[tuple[str, str]]:
    """'Organisaatio | laji' per line (laji by key or by its Finnish name; default 'muu')."""
    by_name = {v.lower(): k for k, v in schema.PARTNER_KINDS.items()}
    by_name.update({k: k for k in schema.PARTNER_KINDS})
    by_name.update({_(v).lower(): k for k, v in schema.PARTNER_KINDS.items()})
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        org, _sep, kind = line.partition("|")
        out.append((org.strip(), by_name.get(kind.strip().lower(), kind.strip() or "other")))
    return out


def partners_text(partners) -> str:
    return "\n".join(
        f"{p['organisation']} | {_(schema.PARTNER_KINDS.get(p['kind'], p['kind']))}" for p in partners
    )
