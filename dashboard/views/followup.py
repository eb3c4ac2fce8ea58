"""Seuranta: how the goals of a negotiation round have moved, one group or all side by side.

Render only: the follow-up rows come from ui.records (cached by warehouse version, record
revision and language), the charts from charts.followup, the summary files from
reports.summary through ui.records.
"""

import pandas as pd
import streamlit as st

from dashboard.charts import followup as followup_charts
from dashboard.i18n.catalog import PRIORITY_ORDER, _, outcome_name, priority_name
from dashboard.i18n.formatting import number
from dashboard.model.followup import verdict_name
from dashboard.reports import followup as follow
from dashboard.ui import language, warehouse
from dashboard.ui import records as rec
from dashboard.ui.markup import md_escape

W = rec.words
version = st.session_state["warehouse_version"]
groups = warehouse.groups(version)
group_ids = list(groups["group_id"])
group_names = dict(zip(groups["group_id"], groups["name"], strict=True))

st.title(_("Seuranta"))
st.caption(
    _(
        "Kunkin tavoitteen seurantaindikaattori lähtötasosta (arvo, kun tavoite kirjattiin) "
        "uusimpaan arvoon. Muutos on selvä, kun lähtötaso jää uusimman arvon 95 %:n "
        "luottamusvälin ulkopuolelle (sama yhden välin sääntö kuin muissa vertailuissa); "
        "ilman luottamusväliä (kyselyt, indeksit) muutosta ei testata: ei verrattu. Sääntö ei "
        "ota huomioon lähtötason omaa epävarmuutta, joten pieni muutos voi näyttää selvältä "
        "suurissa ryhmissä."
    )
)
if not rec.ready(version):
    st.stop()

recorded = rec.rounds()
if not recorded:
    st.info(
        _("Yhtään neuvottelua ei ole vielä kirjattu. Kirjaa neuvottelu Neuvottelut-sivulla."),
        icon=":material/info:",
    )
    st.page_link(
        "views/negotiations.py",
        label=_("Neuvottelut"),
        icon=":material/handshake:",
        query_params=language.url_params(),
    )
    st.stop()
years = sorted({y for _g, y in recorded}, reverse=True)
query = st.query_params.to_dict()
if "fu_round" not in st.session_state:
    wanted = str(query.get("round", ""))
    st.session_state["fu_round"] = int(wanted) if wanted.isdigit() and int(wanted) in years else years[0]
    st.session_state["fu_scope"] = "all" if query.get("group") in (None, "", "all") else "one"
    recorded_groups = [g for g, y in recorded if y == st.session_state["fu_round"]]
    st.session_state["fu_group"] = (
        query.get("group")
        if query.get("group") in group_ids
        else (recorded_groups[0] if recorded_groups else group_ids[0])
    )
cols = st.columns([1.2, 2, 3])
round_year = cols[0].selectbox(_("Neuvottelukierros"), years, key="fu_round")
scope = cols[1].segmented_control(
    _("Näytä"),
    ["all", "one"],
    key="fu_scope",
    required=True,
    format_func=lambda s: _("Kaikki ryhmät") if s == "all" else _("Yksi ryhmä"),
)
group_id = None
if scope == "one":
    group_id = cols[2].selectbox(_("Kuntaryhmä"), group_ids, format_func=group_names.get, key="fu_group")
st.query_params.update(round=str(round_year), group=group_id or "all", **language.url_params())

records = {r["group_id"]: r for r in rec.round_trees(round_year)}


def verdict_cell(key: str) -> str:
    return verdict_name(key)


def indicator_frame(rows: list[dict], with_group: bool = False) -> pd.DataFrame:
    out = []
    for r in rows:
        item = {}
        if with_group:
            item[_("Kuntaryhmä")] = group_names.get(r["group_id"], r["group_id"])
        item.update(
            {
                _("Tavoite"): r["goal"],
                _("Seurantaindikaattori"): r["indicator"]
                + ("" if r["scope"] == "group" else " " + _("(alue)")),
                _("Tavoiteltu"): follow.intent_text(r),
                _("Lähtötaso"): follow.value_text(
                    r["baseline_value"], r["baseline_year"], r["baseline_lo"], r["baseline_hi"], r["decimals"]
                ),
                _("Uusin"): follow.value_text(
                    r["latest_value"], r["latest_year"], r["latest_lo"], r["latest_hi"], r["decimals"]
                ),
                _("Muutos"): "–"
                if r["change"] is None
                else (("+" if r["change"] > 0 else "") + number(r["change"], r["decimals"])),
                _("Selvä muutos?"): (_("kyllä") if r["clear"] else _("ei"))
                if r["outcome"] != "not_compared"
                else outcome_name("not_compared"),
                _("Arvio"): verdict_cell(r["verdict"]),
            }
        )
        out.append(item)
    return pd.DataFrame(out)


def style(frame: pd.DataFrame):
    colours = {verdict_name(k): v for k, v in followup_charts.VERDICT_COLORS.items()}
    text = {verdict_name("toward"): "white", verdict_name("reached"): "white"}

    def paint(v):
        return f"background-color: {colours[v]}; color: {text.get(v, '#111')}" if v in colours else ""

    return frame.style.map(paint, subset=[_("Arvio")])


def actions_line(goal: dict) -> str:
    counts = {}
    for a in goal["actions"]:
        counts[a["status"]] = counts.get(a["status"], 0) + 1
    if not counts:
        return _("ei kirjattuja toimenpiteitä")
    return ", ".join(f"{W.name(W.STATUSES, k)} {n}" for k, n in counts.items())


def one_group(record: dict) -> None:
    rows = rec.followup_rows(version, record)
    if record["is_demo"]:
        st.badge(_("DEMO – keksitty esimerkkikirjaus"), icon=":material/science:", color="orange")
    st.header(
        _(
            "{group}: neuvottelu {year}",
            group=group_names.get(record["group_id"], record["group_id"]),
            year=record["round_year"],
        ),
        anchor=False,
    )
    st.page_link(
        "views/negotiations.py",
        label=_("Avaa kirjaus"),
        icon=":material/edit_note:",
        query_params={
            "group": record["group_id"],
            "round": str(record["round_year"]),
            **language.url_params(),
        },
    )
    for priority in PRIORITY_ORDER[:3]:
        goals = [g for g in record["goals"] if g["priority"] == priority]
        if not goals:
            continue
        st.subheader(priority_name(priority), anchor=False)
        for g in goals:
            with st.container(border=True):
                st.markdown(_("**Tavoite:** {text}", text=md_escape(g["text"])))
                part = [r for r in rows if r["goal_id"] == g["id"]]
                if part:
                    frame = indicator_frame(part).drop(columns=[_("Tavoite")])
                    st.dataframe(style(frame), hide_index=True, width="stretch")
                    st.vega_lite_chart(followup_charts.movement(part), width="content")
                else:
                    st.caption(_("Tavoitteelle ei ole valittu seurantaindikaattoreita."))
                st.caption(_("Toimenpiteet: {statuses}", statuses=actions_line(g)))
                for a in g["actions"]:
                    st.markdown(
                        f"- {md_escape(a['text'])} — **{W.name(W.STATUSES, a['status'])}**"
                        + (f" ({md_escape(a['status_comment'])})" if a["status_comment"] else "")
                    )


if scope == "one":
    record = records.get(group_id)
    if record is None:
        st.info(
            _(
                "Ryhmän {group} kierrosta {year} ei ole kirjattu.",
                group=group_names[group_id],
                year=round_year,
            ),
            icon=":material/info:",
        )
    else:
        one_group(record)
else:
    every = [r for gid in group_ids if gid in records for r in rec.followup_rows(version, records[gid])]
    shown_names = {gid: group_names[gid] for gid in group_ids}
    missing = [group_names[g] for g in group_ids if g not in records]
    if missing:
        st.caption(
            _("Ei kirjausta kierrokselta {year}: {groups}.", year=round_year, groups=", ".join(missing))
        )
    st.vega_lite_chart(
        followup_charts.verdicts_by_group(
            every, shown_names, _("Seurantaindikaattorit ryhmittäin: tavoitteen suuntaan vai ei?")
        ),
        width="content",
    )
    summary_rows = []
    for gid in group_ids:
        if gid not in records:
            continue
        r = records[gid]
        mine = [x for x in every if x["group_id"] == gid]
        counts = follow.status_counts(r)
        summary_rows.append(
            {
                _("Kuntaryhmä"): group_names[gid],
                _("Tavoitteita"): len(r["goals"]),
                _("Tavoitteen suuntaan"): sum(x["verdict"] in ("toward", "reached") for x in mine),
                _("Ei selvää muutosta"): sum(x["verdict"] == "unclear" for x in mine),
                _("Tavoitetta vastaan"): sum(x["verdict"] == "against" for x in mine),
                _("Ei verrattu / ei tietoa"): sum(
                    x["verdict"] in ("not_compared", "no_new_data", "no_data") for x in mine
                ),
                **{W.name(W.STATUSES, k): n for k, n in counts.items()},
            }
        )
    if summary_rows:
        st.dataframe(pd.DataFrame(summary_rows), hide_index=True, width="stretch")
        st.subheader(_("Kaikki seurantaindikaattorit"), anchor=False)
        st.dataframe(style(indicator_frame(every, with_group=True)), hide_index=True, width="stretch")
        partners = rec.partners_across_groups(version, round_year)
        if partners:
            st.subheader(_("Yhteistyökumppanit ryhmien yli"), anchor=False)
            st.dataframe(pd.DataFrame([{_("Yhteistyökumppani"): org, _("Kumppanin laji"): kind,
                                        _("Kuntaryhmät"): ", ".join(gs)} for org, kind, gs in partners]),
                         hide_index=True, width="stretch")

# --- the summary across groups: Word, PDF, HTML, CSV/Parquet ------------------------------------
st.divider()
st.subheader(_("Yhteenveto tiedostoina"), anchor=False)
st.caption(
    _(
        "Kierroksen {year} kaikkien ryhmien kirjaukset ja seuranta: muokattava Word-asiakirja, "
        "tulostettava PDF, HTML-sivu sekä tavoitteet, toimenpiteet ja indikaattorit "
        "taulukkoina (CSV, Parquet).",
        year=round_year,
    )
)
cols = st.columns(3)
labels = {"docx": _("Yhteenveto (Word)"), "pdf": _("Yhteenveto (PDF)"), "html": _("Yhteenveto (HTML)")}
mimes = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html",
}
for i, kind in enumerate(("docx", "pdf", "html")):
    cols[i].download_button(
        labels[kind],
        data=lambda k=kind: rec.summary_file(version, round_year, k),
        file_name=f"hyte-yhteenveto-{round_year}.{kind}",
        mime=mimes[kind],
        on_click="ignore",
        icon=":material/download:",
        key=f"fu_dl_{kind}",
    )
cols = st.columns(6)
for i, name in enumerate(rec.summary_table_names(round_year)):
    kind = name.rsplit(".", 1)[1]
    cols[i].download_button(
        name.removeprefix(f"yhteenveto-{round_year}-"),
        data=lambda n=name: rec.summary_table(version, round_year, n),
        file_name=name,
        mime="text/csv" if kind == "csv" else "application/vnd.apache.parquet",
        on_click="ignore",
        icon=":material/table:",
        key=f"fu_dl_{name}",
    )
