"""The tables of the negotiation record and the words they may hold.

One negotiation per group and round (year); goals per priority; follow-up indicators per
goal with the baseline captured from the warehouse when the goal was saved; actions per
goal with partners. Every editable row carries a `version` (optimistic concurrency) and who
changed it last; `change_log` is append-only (the migration adds triggers that refuse
UPDATE and DELETE on it).
"""

from __future__ import annotations

import sqlalchemy as sa

from dashboard.i18n.catalog import N_, _

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

NAME_LENGTH = 200
TEXT_LENGTH = 2000


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer, nullable=False, default=1),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(NAME_LENGTH), nullable=False),
    ]


negotiation = sa.Table(
    "negotiation",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("group_id", sa.String(100), nullable=False),
    sa.Column("round_year", sa.Integer, nullable=False),
    sa.Column("held_on", sa.Date, nullable=True),
    sa.Column("place", sa.String(NAME_LENGTH), nullable=False, default=""),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("is_demo", sa.Boolean, nullable=False, default=False),
    *_stamps(),
    sa.UniqueConstraint("group_id", "round_year", name="uq_negotiation_group_round"),
)

participant = sa.Table(
    "participant",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "negotiation_id",
        sa.Integer,
        sa.ForeignKey("negotiation.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("count", sa.Integer, nullable=False, default=0),
    sa.Column("names", sa.Text, nullable=False, default=""),
    sa.UniqueConstraint("negotiation_id", "kind", name="uq_participant_negotiation_kind"),
)

goal = sa.Table(
    "goal",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "negotiation_id",
        sa.Integer,
        sa.ForeignKey("negotiation.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("priority", sa.String(40), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sort_order", sa.Integer, nullable=False, default=0),
    *_stamps(),
)

goal_indicator = sa.Table(
    "goal_indicator",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "goal_id", sa.Integer, sa.ForeignKey("goal.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("indicator_id", sa.Integer, nullable=False),
    sa.Column("indicator_name", sa.String(NAME_LENGTH), nullable=False, default=""),
    sa.Column("direction", sa.String(20), nullable=False),
    sa.Column("target_value", sa.Float, nullable=True),
    sa.Column("baseline_value", sa.Float, nullable=True),
    sa.Column("baseline_year", sa.Integer, nullable=True),
    sa.Column("baseline_lo", sa.Float, nullable=True),
    sa.Column("baseline_hi", sa.Float, nullable=True),
    sa.Column("baseline_scope", sa.String(10), nullable=False, default="group"),
    sa.Column("baseline_captured_at", sa.String(32), nullable=True),
    sa.UniqueConstraint("goal_id", "indicator_id", name="uq_goal_indicator_goal_indicator"),
)

action = sa.Table(
    "action",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "goal_id", sa.Integer, sa.ForeignKey("goal.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("responsible_kind", sa.String(20), nullable=False),
    sa.Column("responsible_name", sa.String(NAME_LENGTH), nullable=False, default=""),
    sa.Column("resources", sa.Text, nullable=False, default=""),
    sa.Column("themes", sa.JSON, nullable=False, default=list),
    sa.Column("time_frame", sa.String(NAME_LENGTH), nullable=False, default=""),
    sa.Column("status", sa.String(20), nullable=False, default="planned"),
    sa.Column("status_comment", sa.Text, nullable=False, default=""),
    sa.Column("status_date", sa.Date, nullable=True),
    sa.Column("sort_order", sa.Integer, nullable=False, default=0),
    *_stamps(),
)

partner = sa.Table(
    "partner",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "action_id", sa.Integer, sa.ForeignKey("action.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("organisation", sa.String(NAME_LENGTH), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
)

change_log = sa.Table(
    "change_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("changed_at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(NAME_LENGTH), nullable=False),
    sa.Column("table_name", sa.String(40), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    sa.Column("operation", sa.String(10), nullable=False),  # insert | update | delete
    sa.Column("before", sa.Text, nullable=True),  # JSON of the row (and children)
    sa.Column("after", sa.Text, nullable=True),
    sa.Index("ix_change_log_record", "table_name", "record_id"),
)

# Parents before children: the order of export, import and the JSON file.
TABLES = (negotiation, participant, goal, goal_indicator, action, partner, change_log)

# --- the words the record may hold (stored as keys; shown through these names) ------------

PARTICIPANT_KINDS = {
    "municipality": N_("kunnat"),
    "county": N_("hyvinvointialue"),
    "ngo": N_("järjestöt"),
    "parish": N_("seurakunnat"),
    "other": N_("muut"),
}
RESPONSIBLE_KINDS = {
    "municipality": N_("kunta"),
    "county": N_("hyvinvointialue"),
    "ngo": N_("järjestö"),
    "parish": N_("seurakunta"),
    "other": N_("muu"),
}
PARTNER_KINDS = {
    "municipality": N_("kunta"),
    "county": N_("hyvinvointialue"),
    "ngo": N_("järjestö"),
    "parish": N_("seurakunta"),
    "school": N_("oppilaitos"),
    "company": N_("yritys"),
    "other": N_("muu"),
}
THEMES = {
    "family_centre": N_("perhekeskus"),
    "senior_centre": N_("seniorikeskustoiminta"),
    "wellbeing_tray": N_("hyvinvointitarjotin"),
    "other": N_("muu teema"),
}
STATUSES = {
    "planned": N_("suunniteltu"),
    "ongoing": N_("käynnissä"),
    "done": N_("toteutunut"),
    "not_done": N_("ei toteutunut"),
}
DIRECTIONS = {
    "decrease": N_("laskuun"),
    "increase": N_("nousuun"),
    "keep": N_("ennallaan (ei heikkene)"),
    "target": N_("tavoitearvoon"),
}


def name(words: dict, key) -> str:
    """A stored key in this run's language (an unknown key as it is)."""
    return _(words[key]) if key in words else str(key)
