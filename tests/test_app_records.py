"""AppTest of the Neuvottelut and Seuranta pages: the demo round, an editor saving a goal,
validation and conflicts keeping the typed text, the read view for non-editors, and the
"last round" block on the overview."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.records import db, store
from tests.warehouse_fixtures import ROOT

APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture
def records_env(app_env, tmp_path, monkeypatch):
    """The demo warehouse and an empty store of this test's own (seeded at the first run)."""
    monkeypatch.setenv("HYTE_RECORDS", str(tmp_path / "records.sqlite"))
    monkeypatch.delenv("HYTE_LOCAL_EDIT", raising=False)
    yield db.url()
    db.dispose(db.url())


def page(path: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()  # resolves st.navigation, migrates and seeds the store
    at.switch_page(path)
    at.query_params.clear()
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def texts(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption]).replace("\\", "")


def demo_record():
    return store.negotiation_tree("jamsa-keuruu", 2023, db.engine())


def test_the_demo_round_is_seeded_and_shown(records_env):
    at = page("views/negotiations.py", group="jamsa-keuruu", round="2023")
    assert not at.exception
    assert at.title[0].value == "Neuvottelut"
    assert "Jämsä, Keuruu, Multia, Petäjävesi ja Uurainen: neuvottelu 2023" in [h.value for h in at.header]
    body = texts(at)
    assert "(DEMO) Nuorten mielen hyvinvointi vahvistuu" in body
    assert "lähtötaso" in body and "[95 %:" in body
    assert "Matalan kynnyksen keskusteluapu" in body and "käynnissä" in body
    assert [s.value for s in at.subheader][:3] == [
        "Mielen hyvinvointi",
        "Arjen turvallisuus",
        "Liikunnallinen elämäntapa",
    ]
    assert at.query_params["group"] == "jamsa-keuruu" and at.query_params["round"] == "2023"
    # demo rows only in the record store; a second start does not seed twice
    assert len(store.rounds(db.engine())) == 3
    page("views/negotiations.py")
    assert len(store.rounds(db.engine())) == 3


def test_an_editor_saves_a_goal_and_its_baseline_comes_from_the_warehouse(records_env):
    at = page("views/negotiations.py", group="jamsa-keuruu", round="2023")
    rid = demo_record()["id"]
    p = f"goalf_{rid}_new_g0_"
    at.text_area(key=f"{p}text").set_value("Työttömyys kääntyy laskuun.")
    at.selectbox(key=f"{p}priority").set_value("everyday_safety")
    at.multiselect(key=f"{p}inds").set_value([181])
    at.run()
    at.selectbox(key=f"{p}dir_181").set_value("target")
    at.run()
    at.number_input(key=f"{p}target_181").set_value(8.5)
    at.button(key=f"{p}save").click().run()
    assert not at.exception and not at.error
    goals = [g for g in demo_record()["goals"] if g["text"] == "Työttömyys kääntyy laskuun."]
    assert len(goals) == 1 and goals[0]["priority"] == "everyday_safety"
    ind = goals[0]["indicators"][0]
    assert ind["indicator_id"] == 181 and ind["direction"] == "target" and ind["target_value"] == 8.5
    assert ind["baseline_value"] is not None and ind["baseline_year"] == 2024
    assert "Työttömyys kääntyy laskuun." in texts(at)
    assert at.text_area(key=f"goalf_{rid}_new_g1_text").value == ""  # a fresh, empty add form
    log = store.changes("goal", goals[0]["id"], db.engine())
    assert log[0]["operation"] == "insert" and log[0]["actor"].endswith("(local)")


def test_a_validation_error_keeps_the_typed_text(records_env):
    at = page("views/negotiations.py", group="jamsa-keuruu", round="2023")
    p = f"goalf_{demo_record()['id']}_new_g0_"
    long = "Pitkä tavoite. " * 150  # 2 250 characters: over the limit
    at.text_area(key=f"{p}text").set_value(long)
    at.button(key=f"{p}save").click().run()
    assert not at.exception
    assert any("enintään 2000 mahtuu" in e.value for e in at.error)
    assert at.text_area(key=f"{p}text").value == long
    at.run()  # and on the next rerun too
    assert at.text_area(key=f"{p}text").value == long
    assert not any(g["text"].startswith("Pitkä") for g in demo_record()["goals"])


def test_a_conflict_is_refused_and_the_loser_keeps_the_text(records_env):
    first = page("views/negotiations.py", group="jamsa-keuruu", round="2023")
    second = page("views/negotiations.py", group="jamsa-keuruu", round="2023")
    g = demo_record()["goals"][0]
    p = f"goalf_{demo_record()['id']}_{g['id']}_g0_"
    first.text_area(key=f"{p}text").set_value("Ensimmäisen muutos")
    second.text_area(key=f"{p}text").set_value("Toisen muutos")
    first.button(key=f"{p}save").click().run()
    assert not first.error
    second.button(key=f"{p}save").click().run()
    assert any("Tallennus peruttiin" in e.value for e in second.error)
    assert second.text_area(key=f"{p}text").value == "Toisen muutos"
    assert [x for x in demo_record()["goals"] if x["id"] == g["id"]][0]["text"] == "Ensimmäisen muutos"
    # the loser may drop their text and load the newest version
    second.button(key=f"{p}reload").click().run()
    fresh = f"goalf_{demo_record()['id']}_{g['id']}_g1_"
    assert second.text_area(key=f"{fresh}text").value == "Ensimmäisen muutos"


def test_an_action_status_is_kept_up_to_date(records_env):
    at = page("views/negotiations.py", group="jamsa-keuruu", round="2023")
    a = demo_record()["goals"][0]["actions"][0]
    p = f"statf_{a['id']}_g0_"
    at.selectbox(key=f"{p}status").set_value("done")
    at.text_input(key=f"{p}comment").set_value("Valmis joulukuussa.")
    at.button(key=f"FormSubmitter:{p}form-Päivitä tila").click().run()
    assert not at.exception and not at.error
    after = demo_record()["goals"][0]["actions"][0]
    assert after["status"] == "done" and after["status_comment"] == "Valmis joulukuussa."
    assert after["version"] == a["version"] + 1


def test_a_new_round_is_recorded(records_env):
    at = page("views/negotiations.py", group="jyvaskyla-muurame", round="2025")
    assert any("kierrosta 2025 ei ole kirjattu" in i.value for i in at.info)
    p = "negf_jyvaskyla-muurame_2025_g0_"
    at.text_input(key=f"{p}place").set_value("Jyväskylän kaupungintalo <b>sali</b>")
    at.number_input(key=f"{p}n_municipality").set_value(4)
    at.button(key=f"FormSubmitter:{p}form-Tallenna neuvottelu").click().run()
    assert not at.exception and not at.error
    rec = store.negotiation_tree("jyvaskyla-muurame", 2025, db.engine())
    assert rec["place"] == "Jyväskylän kaupungintalo <b>sali</b>"
    assert "Jyväskylän kaupungintalo \\<b\\>sali\\</b\\>" in " ".join(m.value for m in at.markdown)


def test_a_non_editor_gets_the_read_view_and_no_form(records_env, monkeypatch):
    monkeypatch.setenv("HYTE_LOCAL_EDIT", "0")
    at = page("views/negotiations.py", group="jamsa-keuruu", round="2023")
    assert not at.exception
    assert "(DEMO) Nuorten mielen hyvinvointi vahvistuu" in texts(at)
    assert "Lukutila" in texts(at)
    labels = [b.label for b in at.button]
    assert "Tallenna tavoite" not in labels and "Päivitä tila" not in labels
    assert not at.get("text_area") and not at.get("download_button")
    # a URL cannot make an editor
    at2 = page("views/negotiations.py", group="jamsa-keuruu", round="2023", edit="1", editor="true")
    assert "Lukutila" in texts(at2) and not at2.get("text_area")


def test_the_ui_write_functions_refuse_a_non_editor(records_env, monkeypatch):
    """The write path under the widgets checks the identity itself."""
    from dashboard.records import access
    from dashboard.ui import records as rec

    page("views/negotiations.py", group="jamsa-keuruu", round="2023")
    monkeypatch.setenv("HYTE_LOCAL_EDIT", "0")
    r = demo_record()
    g = r["goals"][0]
    a = g["actions"][0]
    for write in (
        lambda: rec.save_negotiation("jamsa-keuruu", 2030, {}),
        lambda: rec.save_goal("v", r, "mental_wellbeing", "x", []),
        lambda: rec.delete_goal(g["id"], g["version"]),
        lambda: rec.save_action(g["id"], {"text": "x", "responsible_kind": "county"}),
        lambda: rec.set_status(a["id"], a["version"], "done", ""),
        lambda: rec.delete_action(a["id"], a["version"]),
    ):
        with pytest.raises(access.NotPermitted):
            write()
    assert demo_record() == r


def test_followup_all_groups_and_one_group(records_env):
    at = page("views/followup.py", round="2023")
    assert not at.exception
    assert at.title[0].value == "Seuranta"
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert specs and specs[0]["config"]["locale"]["number"]["decimal"] == ","
    frames = [d.value for d in at.dataframe]
    assert set(frames[0]["Kuntaryhmä"]) == {
        "Jämsä, Keuruu, Multia, Petäjävesi ja Uurainen",
        "Hankasalmi, Konnevesi, Laukaa ja Äänekoski",
        "Joutsa, Luhanka ja Toivakka",
    }
    assert "Ei kirjausta kierrokselta 2023" in texts(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:3] == ["Yhteenveto (Word)", "Yhteenveto (PDF)", "Yhteenveto (HTML)"]
    assert "tavoitteet.csv" in labels and "indikaattorit.parquet" in labels
    at.segmented_control(key="fu_scope").set_value("one").run()
    at.selectbox(key="fu_group").set_value("jamsa-keuruu").run()
    assert not at.exception
    assert "Jämsä, Keuruu, Multia, Petäjävesi ja Uurainen: neuvottelu 2023" in [h.value for h in at.header]
    table = at.dataframe[0].value
    assert {"Lähtötaso", "Uusin", "Muutos", "Selvä muutos?", "Arvio"} <= set(table.columns)
    assert any(v.startswith("2") or "2021" in v for v in table["Lähtötaso"])
    assert at.query_params["group"] == "jamsa-keuruu"


def overview(group: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["group"] = group
    return at.run()


def test_the_overview_opens_with_the_last_round(records_env):
    at = overview("jamsa-keuruu")
    assert not at.exception
    assert "Viime neuvottelussa sovittiin (kierros 2023)" in [s.value for s in at.subheader]
    assert "(DEMO) Nuorten mielen hyvinvointi vahvistuu" in texts(at)
    at = overview("jyvaskyla-muurame")
    assert not any(s.value.startswith("Viime neuvottelussa") for s in at.subheader)
