"""Neuvottelut: what a group's negotiation agreed (goals, indicators, actions, partners).

Render only: a read view for everyone, forms for editors. Reads and writes go through
ui.records (which decides who may write; the store checks again). Typed text is never
lost: forms keep their values on a validation error or a conflict, and the version an
editor started from is kept until the save succeeds or they load the newest one.
"""

from datetime import date

import streamlit as st

from dashboard.i18n.catalog import PRIORITY_ORDER, _, priority_name
from dashboard.i18n.formatting import day, interval, number
from dashboard.ui import compositions, language, warehouse
from dashboard.ui import records as rec
from dashboard.ui.markup import md_escape

W = rec.words
PRIORITIES = PRIORITY_ORDER[:3]
version = st.session_state["warehouse_version"]
groups = warehouse.groups(version)
group_ids = list(groups["group_id"])
group_names = dict(zip(groups["group_id"], groups["name"], strict=True))
inds = warehouse.indicators(version)
ind_names = dict(zip(inds["indicator_id"].astype(int), inds["short"], strict=True))
ind_priority = dict(zip(inds["indicator_id"].astype(int), inds["priority"], strict=True))
ind_decimals = dict(zip(inds["indicator_id"].astype(int), inds["decimals"].astype(int), strict=True))

st.title(_("Neuvottelut"))
st.caption(
    _(
        "Mitä ryhmän HYTE-neuvottelussa sovittiin (laki 612/2021 7 §): tavoitteet "
        "painopisteittäin, niiden seurantaindikaattorit lähtötasoineen, toimenpiteet, "
        "vastuutahot ja yhteistyökumppanit. Kirjaukset ovat omassa tietokannassaan; "
        "tietovaraston päivitys ei muuta niitä."
    )
)
if not rec.ready(version):
    st.stop()
editor = rec.can_edit()
rec.who_note()

# --- group and round (the URL keeps both) -------------------------------------------------
query = st.query_params.to_dict()
recorded = rec.rounds()
this_year = date.today().year
years = sorted({y for _g, y in recorded} | {this_year}, reverse=True)
if "neg_group" not in st.session_state:
    st.session_state["neg_group"] = query.get("group") if query.get("group") in group_ids else group_ids[0]
    wanted = str(query.get("round", ""))
    st.session_state["neg_round"] = (
        int(wanted)
        if wanted.isdigit() and 2020 <= int(wanted) <= 2100
        else (max((y for g, y in recorded if g == st.session_state["neg_group"]), default=this_year))
    )
if st.session_state["neg_round"] not in years:
    years = sorted({*years, st.session_state["neg_round"]}, reverse=True)
cols = st.columns([3, 1.2, 1.6])
group_id = cols[0].selectbox(_("Kuntaryhmä"), group_ids, format_func=group_names.get, key="neg_group")
round_year = cols[1].selectbox(_("Neuvottelukierros"), years, key="neg_round")
if editor:
    with cols[2].popover(_("Uusi kierros"), icon=":material/add:"):
        new_year = st.number_input(
            _("Vuosi"), min_value=2020, max_value=2100, value=this_year + 1, step=1, key="neg_new_year"
        )
        if st.button(_("Avaa kierros"), key="neg_open_round"):
            st.session_state["neg_round"] = int(new_year)
            st.rerun()
st.query_params.update(group=group_id, round=str(round_year), **language.url_params())
members = compositions.group_context(version, group_id).members
member_names = tuple(compositions.group_context(version, group_id).names[m] for m in members)
record = rec.tree(group_id, round_year)


def show_problems(exc: Exception) -> None:
    if isinstance(exc, rec.ValidationError):
        st.error(
            _("Tarkista kentät:") + "\n\n" + "\n".join(f"- {md_escape(m)}" for m in exc.problems.values()),
            icon=":material/error:",
        )
    else:
        st.error(md_escape(str(exc)), icon=":material/error:")


def form_prefix(base: str) -> str:
    """The widget keys of one form: `base` and a generation, so that forgetting a form gives
    fresh widgets (the browser keeps a widget's value when only its state is deleted)."""
    return f"{base}g{st.session_state.get(f'gen:{base}', 0)}_"


def forget(prefix: str) -> None:
    """Drop a form's kept values (after a successful save, or to load the newest version)."""
    base, _sep, gen = prefix.removesuffix("_").rpartition("g")
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]
    st.session_state[f"gen:{base}"] = int(gen) + 1


def started_version(prefix: str, current: int) -> int:
    """The version the editor began from (kept until the save succeeds)."""
    return st.session_state.setdefault(f"{prefix}version", current)


def conflict_help(prefix: str, exc: Exception) -> None:
    show_problems(exc)
    if isinstance(exc, rec.StaleRecord):
        st.button(
            _("Hylkää muutokseni ja lataa uusin versio"),
            key=f"{prefix}reload",
            on_click=forget,
            args=(prefix,),
            icon=":material/refresh:",
        )


# --- the negotiation's own fields ---------------------------------------------------------------
def negotiation_form(existing: dict | None) -> None:
    p = form_prefix(f"negf_{group_id}_{round_year}_")
    parts = {x["kind"]: x for x in (existing or {}).get("participants", [])}
    with st.form(f"{p}form"):
        c = st.columns([1, 2])
        held = c[0].date_input(
            _("Päivämäärä"),
            value=date.fromisoformat(existing["held_on"]) if existing and existing["held_on"] else None,
            key=f"{p}held",
            format="DD.MM.YYYY",
        )
        place = c[1].text_input(
            _("Paikka"),
            value=(existing or {}).get("place", ""),
            key=f"{p}place",
            max_chars=rec.validate.NAME_LIMIT,
        )
        st.markdown("**" + _("Osallistujat") + "**")
        values = {}
        for kind in W.PARTICIPANT_KINDS:
            c = st.columns([1, 3])
            n = c[0].number_input(
                W.name(W.PARTICIPANT_KINDS, kind),
                min_value=0,
                max_value=10_000,
                step=1,
                value=int(parts.get(kind, {}).get("count", 0)),
                key=f"{p}n_{kind}",
            )
            names = c[1].text_input(
                _("Nimet (valinnainen)"), value=parts.get(kind, {}).get("names", ""), key=f"{p}names_{kind}"
            )
            values[kind] = (n, names)
        notes = st.text_area(
            _("Muistiinpanot"),
            value=(existing or {}).get("notes", ""),
            key=f"{p}notes",
            max_chars=rec.validate.TEXT_LIMIT,
        )
        saved = st.form_submit_button(_("Tallenna neuvottelu"), icon=":material/save:")
    if saved:
        fields = {"held_on": held, "place": place, "notes": notes, "participants": values}
        try:
            if existing is None:
                rec.save_negotiation(group_id, round_year, fields)
            else:
                rec.save_negotiation(
                    group_id, round_year, fields, existing["id"], started_version(p, existing["version"])
                )
        except (rec.ValidationError, rec.StaleRecord, rec.NotPermitted) as exc:
            conflict_help(p, exc)
        else:
            forget(p)
            st.toast(_("Neuvottelu tallennettu."), icon=":material/check:")
            st.rerun()
    elif existing is not None:
        started_version(p, existing["version"])


if record is None:
    st.info(
        _("Ryhmän {group} kierrosta {year} ei ole kirjattu.", group=group_names[group_id], year=round_year),
        icon=":material/info:",
    )
    if editor:
        st.subheader(_("Kirjaa neuvottelu"))
        negotiation_form(None)
    st.stop()

# --- read view: the negotiation ---------------------------------------------------------------
if record["is_demo"]:
    st.badge(_("DEMO – keksitty esimerkkikirjaus"), icon=":material/science:", color="orange")
st.header(_("{group}: neuvottelu {year}", group=group_names[group_id], year=round_year), anchor=False)
facts = []
if record["held_on"]:
    facts.append(_("**Päivämäärä:** {value}", value=day(record["held_on"])))
if record["place"]:
    facts.append(_("**Paikka:** {value}", value=md_escape(record["place"])))
people = [
    f"{W.name(W.PARTICIPANT_KINDS, x['kind'])} {x['count']}"
    + (f" ({md_escape(x['names'])})" if x["names"] else "")
    for x in record["participants"]
]
if people:
    facts.append(_("**Osallistujat:** {value}", value=md_escape(", ").join(people)))
if record["notes"]:
    facts.append(_("**Muistiinpanot:** {value}", value=md_escape(record["notes"])))
st.markdown("  \n".join(facts) or _("Ei kirjattuja tietoja neuvottelusta."))
st.caption(
    _(
        "Viimeksi muuttanut {who}, {when} (versio {version}).",
        who=md_escape(record["updated_by"]),
        when=md_escape(record["updated_at"]),
        version=record["version"],
    )
)
if editor:
    with st.expander(_("Muokkaa neuvottelun tietoja"), icon=":material/edit:"):
        negotiation_form(record)


def history(table: str, record_id: int, key: str) -> None:
    with st.popover(_("Muutoshistoria"), icon=":material/history:"):
        for c in reversed(rec.changes(table, record_id)):
            what = {"insert": _("lisäsi"), "update": _("muutti"), "delete": _("poisti")}.get(
                c["operation"], ""
            )
            st.markdown(
                _(
                    "**{when}** {who} {what}",
                    when=md_escape(c["changed_at"]),
                    who=md_escape(c["actor"]),
                    what=what,
                )
            )
            before, after = c["before"] or {}, c["after"] or {}
            changed = sorted(
                k
                for k in set(before) | set(after)
                if k not in ("version", "updated_at", "updated_by") and before.get(k) != after.get(k)
            )
            if changed and c["operation"] == "update":
                st.caption(_("Muuttuneet kentät: {fields}", fields=md_escape(", ".join(changed))))


# --- goals: the editor ------------------------------------------------------------------------
def goal_editor(goal: dict | None, priority: str) -> None:
    gid = goal["id"] if goal else "new"
    p = form_prefix(f"goalf_{record['id']}_{gid}_")
    current = {i["indicator_id"]: i for i in (goal or {}).get("indicators", [])}
    options = sorted(ind_names, key=lambda i: (ind_priority.get(i) != priority, i))
    if goal is not None:
        started_version(p, goal["version"])
    pr = st.selectbox(
        _("Painopiste"),
        PRIORITIES,
        index=PRIORITIES.index(priority),
        format_func=priority_name,
        key=f"{p}priority",
    )
    # No max_chars: a pasted text over the limit stays whole in the field with a message,
    # rather than being cut silently by the browser.
    text = st.text_area(
        _("Tavoite"),
        value=(goal or {}).get("text", ""),
        key=f"{p}text",
        placeholder=_("Esim. Nuorten mielen hyvinvointi vahvistuu."),
    )
    chosen = st.multiselect(
        _("Seurantaindikaattorit (hae nimellä)"),
        options,
        default=list(current),
        format_func=lambda i: f"{ind_names.get(i, i)} ({i})",
        key=f"{p}inds",
        max_selections=rec.validate.MAX_INDICATORS,
    )
    picks = []
    for iid in chosen:
        was = current.get(iid, {})
        c = st.columns([3, 1.4, 1])
        c[0].markdown(md_escape(ind_names.get(iid, iid)))
        direction = c[1].selectbox(
            _("Tavoiteltu suunta"),
            list(W.DIRECTIONS),
            index=list(W.DIRECTIONS).index(was.get("direction", "decrease")),
            format_func=lambda d: W.name(W.DIRECTIONS, d),
            key=f"{p}dir_{iid}",
        )
        target = None
        if direction == "target":
            target = c[2].number_input(
                _("Tavoitearvo"), value=was.get("target_value"), key=f"{p}target_{iid}", format="%.1f"
            )
        picks.append(rec.IndicatorChoice(iid, direction, target))
    st.caption(
        _(
            "Lähtötaso tallentuu tietovarastosta, kun indikaattori lisätään tavoitteeseen: "
            "ryhmän uusin arvo ja sen 95 %:n luottamusväli."
        )
    )
    b = st.columns([1, 1, 3])
    if b[0].button(_("Tallenna tavoite"), key=f"{p}save", icon=":material/save:", type="primary"):
        try:
            rec.save_goal(
                version,
                record,
                pr,
                text,
                picks,
                None if goal is None else goal["id"],
                None if goal is None else st.session_state[f"{p}version"],
            )
        except (rec.ValidationError, rec.StaleRecord, rec.NotPermitted) as exc:
            conflict_help(p, exc)
        else:
            forget(p)
            st.toast(_("Tavoite tallennettu."), icon=":material/check:")
            st.rerun()
    if goal is not None and b[1].button(_("Poista tavoite"), key=f"{p}delete", icon=":material/delete:"):
        st.session_state[f"{p}confirm"] = True
    if goal is not None and st.session_state.get(f"{p}confirm"):
        st.warning(_("Poistetaanko tavoite toimenpiteineen? Muutoshistoria säilyttää sen."))
        if st.button(_("Kyllä, poista"), key=f"{p}delete_yes"):
            try:
                rec.delete_goal(goal["id"], st.session_state[f"{p}version"])
            except (rec.StaleRecord, rec.NotPermitted) as exc:
                conflict_help(p, exc)
            else:
                forget(p)
                st.rerun()


def action_form(goal: dict, existing: dict | None) -> None:
    aid = existing["id"] if existing else "new"
    p = form_prefix(f"actf_{goal['id']}_{aid}_")
    e = existing or {}
    if existing is not None:
        started_version(p, existing["version"])
    with st.form(f"{p}form"):
        text = st.text_area(
            _("Toimenpide"), value=e.get("text", ""), key=f"{p}text", max_chars=rec.validate.TEXT_LIMIT
        )
        c = st.columns(2)
        kinds = list(W.RESPONSIBLE_KINDS)
        kind = c[0].selectbox(
            _("Vastuutaho"),
            kinds,
            index=kinds.index(e.get("responsible_kind", "municipality")),
            format_func=lambda k: W.name(W.RESPONSIBLE_KINDS, k),
            key=f"{p}kind",
        )
        name = c[1].text_input(
            _("Vastuutahon nimi (kunta, järjestö, seurakunta …)"),
            value=e.get("responsible_name", ""),
            key=f"{p}name",
            help=_("Ryhmän kunnat: {names}", names=", ".join(member_names)),
        )
        resources = st.text_area(
            _("Resurssit (työpanos, avustukset, tilat, markkinointi)"),
            value=e.get("resources", ""),
            key=f"{p}resources",
            height=80,
        )
        c = st.columns(2)
        themes = c[0].multiselect(
            _("Teemat"),
            list(W.THEMES),
            default=e.get("themes", []),
            format_func=lambda t: W.name(W.THEMES, t),
            key=f"{p}themes",
        )
        frame = c[1].text_input(
            _("Aikataulu"), value=e.get("time_frame", ""), key=f"{p}frame", placeholder=_("Esim. 2025–2026")
        )
        c = st.columns([1, 2])
        statuses = list(W.STATUSES)
        status = c[0].selectbox(
            _("Tila"),
            statuses,
            index=statuses.index(e.get("status", "planned")),
            format_func=lambda s: W.name(W.STATUSES, s),
            key=f"{p}status",
        )
        comment = c[1].text_input(_("Tilan kommentti"), value=e.get("status_comment", ""), key=f"{p}comment")
        partners = st.text_area(
            _(
                "Yhteistyökumppanit: yksi riville, muodossa Organisaatio | laji "
                "(kunta, hyvinvointialue, järjestö, seurakunta, oppilaitos, yritys, muu)"
            ),
            value=rec.validate.partners_text(e.get("partners", [])),
            key=f"{p}partners",
            height=80,
        )
        saved = st.form_submit_button(_("Tallenna toimenpide"), icon=":material/save:")
    if saved:
        fields = {
            "text": text,
            "responsible_kind": kind,
            "responsible_name": name,
            "resources": resources,
            "themes": themes,
            "time_frame": frame,
            "status": status,
            "status_comment": comment,
            "status_date": date.today() if status != e.get("status", "planned") else e.get("status_date"),
            "partners": rec.validate.parse_partners(partners),
        }
        try:
            rec.save_action(
                goal["id"],
                fields,
                member_names,
                None if existing is None else existing["id"],
                None if existing is None else st.session_state[f"{p}version"],
            )
        except (rec.ValidationError, rec.StaleRecord, rec.NotPermitted) as exc:
            conflict_help(p, exc)
        else:
            forget(p)
            st.toast(_("Toimenpide tallennettu."), icon=":material/check:")
            st.rerun()
    if existing is not None:
        if st.button(_("Poista toimenpide"), key=f"{p}delete", icon=":material/delete:"):
            try:
                rec.delete_action(existing["id"], st.session_state[f"{p}version"])
            except (rec.StaleRecord, rec.NotPermitted) as exc:
                conflict_help(p, exc)
            else:
                forget(p)
                st.rerun()


def action_view(a: dict) -> None:
    status = W.name(W.STATUSES, a["status"])
    mark = {
        "done": ":green[**✓**]",
        "ongoing": ":blue[**●**]",
        "planned": ":gray[**○**]",
        "not_done": ":red[**✗**]",
    }.get(a["status"], "")
    who = W.name(W.RESPONSIBLE_KINDS, a["responsible_kind"]) + (
        f": {md_escape(a['responsible_name'])}" if a["responsible_name"] else ""
    )
    lines = [
        f"{mark} **{md_escape(a['text'])}** — {status}"
        + (f" ({day(a['status_date'])})" if a["status_date"] else "")
    ]
    if a["status_comment"]:
        lines.append(_("Tilan kommentti: {text}", text=md_escape(a["status_comment"])))
    lines.append(_("Vastuutaho: {who}", who=who))
    if a["resources"]:
        lines.append(_("Resurssit: {text}", text=md_escape(a["resources"])))
    if a["themes"]:
        lines.append(_("Teemat: {text}", text=", ".join(W.name(W.THEMES, t) for t in a["themes"])))
    if a["time_frame"]:
        lines.append(_("Aikataulu: {text}", text=md_escape(a["time_frame"])))
    if a["partners"]:
        lines.append(
            _(
                "Yhteistyö: {text}",
                text=md_escape("; ").join(
                    f"{md_escape(x['organisation'])} ({W.name(W.PARTNER_KINDS, x['kind'])})"
                    for x in a["partners"]
                ),
            )
        )
    st.markdown("  \n".join(lines))


def status_form(a: dict) -> None:
    p = form_prefix(f"statf_{a['id']}_")
    started_version(p, a["version"])
    with st.form(f"{p}form"):
        statuses = list(W.STATUSES)
        status = st.selectbox(
            _("Tila"),
            statuses,
            index=statuses.index(a["status"]),
            format_func=lambda s: W.name(W.STATUSES, s),
            key=f"{p}status",
        )
        comment = st.text_input(_("Tilan kommentti"), value=a["status_comment"], key=f"{p}comment")
        on = st.date_input(_("Päivämäärä"), value=date.today(), key=f"{p}on", format="DD.MM.YYYY")
        saved = st.form_submit_button(_("Päivitä tila"))
    if saved:
        try:
            rec.set_status(a["id"], st.session_state[f"{p}version"], status, comment, on)
        except (rec.ValidationError, rec.StaleRecord, rec.NotPermitted) as exc:
            conflict_help(p, exc)
        else:
            forget(p)
            st.rerun()


def baseline_text(i: dict) -> str:
    d = ind_decimals.get(i["indicator_id"], 1)
    if i["baseline_value"] is None:
        return _("ei lähtötasoa (ei arvoa tietovarastossa)")
    text = _("{value} ({year})", value=number(i["baseline_value"], d), year=i["baseline_year"])
    if i["baseline_lo"] is not None and i["baseline_hi"] is not None:
        text += " " + _("[95 %: {interval}]", interval=interval(i["baseline_lo"], i["baseline_hi"], d))
    if i["baseline_scope"] == "area":
        text += " " + _("(hyvinvointialueen arvo: ryhmälle ei ole lukua)")
    return text


# --- read view: goals per priority --------------------------------------------------------------
for priority in PRIORITIES:
    goals = [g for g in record["goals"] if g["priority"] == priority]
    st.subheader(priority_name(priority), anchor=False)
    if not goals:
        st.caption(_("Ei kirjattua tavoitetta tälle painopisteelle."))
    for g in goals:
        with st.container(border=True, key=f"goal_{g['id']}"):
            st.markdown(_("**Tavoite:** {text}", text=md_escape(g["text"])))
            for i in g["indicators"]:
                intent = (
                    _(
                        "tavoitearvo {target}",
                        target=number(i["target_value"], ind_decimals.get(i["indicator_id"], 1)),
                    )
                    if i["direction"] == "target"
                    else W.name(W.DIRECTIONS, i["direction"])
                )
                name = ind_names.get(i["indicator_id"], i["indicator_name"] or str(i["indicator_id"]))
                st.markdown(
                    _(
                        ":material/query_stats: {name}: {intent}; lähtötaso {baseline}",
                        name=md_escape(name),
                        intent=intent,
                        baseline=baseline_text(i),
                    )
                )
            if not g["actions"]:
                st.caption(_("Ei kirjattuja toimenpiteitä."))
            for a in g["actions"]:
                action_view(a)
                if editor:
                    c = st.columns([1.4, 1.2, 1.6, 2.4])
                    with c[0].popover(_("Päivitä tila"), icon=":material/update:"):
                        status_form(a)
                    with c[1].popover(_("Muokkaa"), icon=":material/edit:"):
                        action_form(g, a)
                    with c[2]:
                        history("action", a["id"], f"ah_{a['id']}")
            c = st.columns([1.6, 1, 3.4])
            with c[0]:
                history("goal", g["id"], f"gh_{g['id']}")
            if editor:
                with st.expander(_("Muokkaa tavoitetta"), icon=":material/edit:"):
                    goal_editor(g, priority)
                with st.expander(_("Lisää toimenpide"), icon=":material/add_task:"):
                    action_form(g, None)

if editor:
    st.divider()
    st.subheader(_("Lisää tavoite"), anchor=False)
    with st.container(border=True, key="add_goal"):
        goal_editor(None, PRIORITIES[0])
    st.divider()
    # Editors only: the file holds the change log, with the editors' names.
    st.download_button(
        _("Lataa kaikki kirjaukset (JSON)"),
        data=rec.export_json,
        file_name="neuvottelukirjaukset.json",
        mime="application/json",
        icon=":material/download:",
        on_click="ignore",
        key="neg_json",
    )
