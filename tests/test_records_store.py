"""The negotiation record's store, on SQLite and (when one can be started) PostgreSQL:
migrations from empty, writes and reads, the change log, conflicts, permissions,
validation, export/import round trip, backup, and ingest beside it."""

from __future__ import annotations

import ast
import json
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.records import access, db, schema, store, transfer, validate
from dashboard.records.store import Baseline, StaleRecord
from dashboard.records.validate import IndicatorChoice, ValidationError

ROOT = Path(__file__).resolve().parent.parent
ED = access.system("tester")
KNOWN = [181, 242, 3219]


@pytest.fixture
def eng(store_url):
    db.migrate(store_url)
    return db.engine(store_url)


def negotiation(eng, group="jamsa-keuruu", year=2025) -> int:
    return store.save_negotiation(
        ED,
        group,
        year,
        {
            "held_on": "2025-11-14",
            "place": "Jämsä",
            "notes": "muistio",
            "participants": {"municipality": (5, "Jämsä, Keuruu"), "ngo": (2, "")},
        },
        eng=eng,
    )


def goal(eng, nid, text="Nuorten mieli vahvistuu.", inds=((242, "decrease"),)) -> int:
    return store.save_goal(
        ED,
        nid,
        "mental_wellbeing",
        text,
        [IndicatorChoice(i, d) for i, d in inds],
        KNOWN,
        {242: Baseline(11.9, 2023, 10.5, 13.4), 181: Baseline(9.0, 2024)},
        {242: "Masentuneisuus"},
        eng=eng,
    )


def test_migrations_up_from_an_empty_database(store_url):
    eng = db.engine(store_url)
    assert db.current(eng) is None
    assert db.migrate(store_url) == db.head()
    names = set(sa.inspect(eng).get_table_names())
    assert {t.name for t in schema.TABLES} <= names and "alembic_version" in names
    assert db.migrate(store_url) == db.head()  # a second run changes nothing
    if db.is_sqlite(eng):
        with eng.connect() as con:
            assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_the_schema_matches_the_migrations(eng):
    """Autogenerate finds nothing to add: the tables in schema.py are the migrated ones."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with eng.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), schema.metadata)
    assert diff == []


def test_a_negotiation_with_goals_actions_and_partners_reads_back(eng):
    nid = negotiation(eng)
    gid = goal(eng, nid)
    aid = store.save_action(
        ED,
        gid,
        {
            "text": "Keskusteluapu kouluihin",
            "responsible_kind": "county",
            "resources": "2 htv",
            "themes": ["family_centre"],
            "time_frame": "2026",
            "status": "ongoing",
            "partners": [("MLL", "ngo"), ("Lukio", "school")],
        },
        eng=eng,
    )
    tree = store.negotiation_tree("jamsa-keuruu", 2025, eng)
    assert tree["place"] == "Jämsä" and tree["held_on"] == "2025-11-14"
    assert [(p["kind"], p["count"]) for p in tree["participants"]] == [("municipality", 5), ("ngo", 2)]
    g = tree["goals"][0]
    assert g["text"] == "Nuorten mieli vahvistuu." and g["version"] == 1
    ind = g["indicators"][0]
    assert (ind["indicator_id"], ind["baseline_value"], ind["baseline_year"], ind["baseline_lo"]) == (
        242,
        11.9,
        2023,
        10.5,
    )
    a = g["actions"][0]
    assert a["id"] == aid and a["themes"] == ["family_centre"]
    assert [(p["organisation"], p["kind"]) for p in a["partners"]] == [("MLL", "ngo"), ("Lukio", "school")]
    assert store.rounds(eng) == [("jamsa-keuruu", 2025)]
    assert store.latest_tree("jamsa-keuruu", eng=eng)["id"] == nid
    assert store.latest_tree("jamsa-keuruu", before=2025, eng=eng) is None


def test_an_indicator_keeps_its_baseline_when_the_goal_is_edited(eng):
    nid = negotiation(eng)
    gid = goal(eng, nid)
    store.save_goal(
        ED,
        nid,
        "mental_wellbeing",
        "Uusi teksti",
        [IndicatorChoice(242, "keep"), IndicatorChoice(181, "target", 8.0)],
        KNOWN,
        {242: Baseline(99.0, 2025), 181: Baseline(9.0, 2024)},
        goal_id=gid,
        expected_version=1,
        eng=eng,
    )
    g = store.negotiation_tree("jamsa-keuruu", 2025, eng)["goals"][0]
    by_id = {i["indicator_id"]: i for i in g["indicators"]}
    assert by_id[242]["baseline_value"] == 11.9 and by_id[242]["direction"] == "keep"
    assert by_id[181]["baseline_value"] == 9.0 and by_id[181]["target_value"] == 8.0
    assert g["version"] == 2 and g["text"] == "Uusi teksti"


def test_every_change_is_logged_with_who_when_before_and_after(eng):
    nid = negotiation(eng)
    gid = goal(eng, nid, text="Ensin")
    store.save_goal(
        ED, nid, "mental_wellbeing", "Sitten", [], KNOWN, goal_id=gid, expected_version=1, eng=eng
    )
    store.delete_goal(ED, gid, 2, eng=eng)
    log = store.changes("goal", gid, eng)
    assert [c["operation"] for c in log] == ["insert", "update", "delete"]
    assert all(c["actor"] == "tester (system)" and c["changed_at"] for c in log)
    assert log[0]["before"] is None and log[0]["after"]["text"] == "Ensin"
    assert log[1]["before"]["text"] == "Ensin" and log[1]["after"]["text"] == "Sitten"
    assert log[1]["before"]["indicators"][0]["indicator_id"] == 242 and log[1]["after"]["indicators"] == []
    assert log[2]["after"] is None and log[2]["before"]["text"] == "Sitten"
    assert store.revision(eng) == max(c["id"] for c in log)


def test_the_change_log_is_append_only(eng):
    negotiation(eng)
    for sql in ("UPDATE change_log SET actor = 'someone else'", "DELETE FROM change_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with eng.begin() as con:
                con.execute(sa.text(sql))
    with eng.connect() as con:
        assert con.execute(sa.text("SELECT count(*) FROM change_log")).scalar() == 1


def test_a_stale_save_is_refused_and_names_who_saved_first(eng):
    nid = negotiation(eng)
    gid = goal(eng, nid, text="Alku")
    other = access.Identity("toinen@example.fi", "local")
    store.save_goal(
        other, nid, "mental_wellbeing", "Toisen muutos", [], KNOWN, goal_id=gid, expected_version=1, eng=eng
    )
    with pytest.raises(StaleRecord, match="toinen@example.fi") as err:
        store.save_goal(
            ED,
            nid,
            "mental_wellbeing",
            "Minun muutokseni",
            [],
            KNOWN,
            goal_id=gid,
            expected_version=1,
            eng=eng,
        )
    assert err.value.current["text"] == "Toisen muutos"
    g = store.negotiation_tree("jamsa-keuruu", 2025, eng)["goals"][0]
    assert g["text"] == "Toisen muutos" and g["version"] == 2
    with pytest.raises(StaleRecord):
        store.delete_goal(ED, gid, 1, eng=eng)
    store.delete_goal(ED, gid, 2, eng=eng)
    with pytest.raises(StaleRecord, match="poisti"):
        store.save_goal(
            ED, nid, "mental_wellbeing", "Myöhässä", [], KNOWN, goal_id=gid, expected_version=2, eng=eng
        )


def test_the_same_round_cannot_be_recorded_twice(eng):
    negotiation(eng)
    with pytest.raises(StaleRecord, match="jo kirjattu"):
        negotiation(eng)


def test_two_simultaneous_saves_of_one_version_let_exactly_one_win(eng):
    nid = negotiation(eng)
    gid = goal(eng, nid)
    outcomes, barrier = [], threading.Barrier(4)

    def save(i):
        barrier.wait()
        try:
            store.save_goal(
                ED,
                nid,
                "mental_wellbeing",
                f"versio {i}",
                [],
                KNOWN,
                goal_id=gid,
                expected_version=1,
                eng=eng,
            )
            outcomes.append("saved")
        except StaleRecord:
            outcomes.append("stale")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "stale", "stale", "stale"]
    assert store.negotiation_tree("jamsa-keuruu", 2025, eng)["goals"][0]["version"] == 2


@pytest.mark.parametrize(
    "who",
    [
        None,
        access.ANONYMOUS,
        access.Identity("vieras@example.fi", "proxy"),
        access.Identity("vieras@example.fi", "oidc"),
    ],
)
def test_no_write_function_accepts_a_non_editor(eng, who, monkeypatch):
    monkeypatch.setenv("HYTE_EDITORS", "editor@example.fi")
    nid = negotiation(eng)
    gid = goal(eng, nid)
    aid = store.save_action(ED, gid, {"text": "x", "responsible_kind": "county"}, eng=eng)
    before = transfer.export_data(eng)["tables"]
    writes = [
        lambda: store.save_negotiation(who, "jamsa-keuruu", 2026, {}, eng=eng),
        lambda: store.save_negotiation(who, "jamsa-keuruu", 2025, {"place": "x"}, nid, 1, eng=eng),
        lambda: store.save_goal(who, nid, "mental_wellbeing", "x", [], KNOWN, eng=eng),
        lambda: store.save_goal(
            who, nid, "mental_wellbeing", "x", [], KNOWN, goal_id=gid, expected_version=1, eng=eng
        ),
        lambda: store.delete_goal(who, gid, 1, eng=eng),
        lambda: store.save_action(who, gid, {"text": "y", "responsible_kind": "county"}, eng=eng),
        lambda: store.set_status(who, aid, 1, "done", eng=eng),
        lambda: store.delete_action(who, aid, 1, eng=eng),
    ]
    for write in writes:
        with pytest.raises(access.NotPermitted):
            write()
    assert transfer.export_data(eng)["tables"] == before
    # An editor on the allow-list may write (names compare case-insensitively).
    store.set_status(access.Identity("Editor@Example.fi", "oidc"), aid, 1, "done", "valmis", eng=eng)


@pytest.mark.parametrize(
    "priority, text, inds, field",
    [
        ("mental_wellbeing", "   ", [], "text"),
        ("mental_wellbeing", "x" * 2001, [], "text"),
        ("context", "ok", [], "priority"),
        ("mental_wellbeing", "ok", [IndicatorChoice(999999, "decrease")], "indicator_999999"),
        ("mental_wellbeing", "ok", [IndicatorChoice(181, "sideways")], "direction_181"),
        ("mental_wellbeing", "ok", [IndicatorChoice(181, "target", None)], "target_181"),
    ],
)
def test_bad_goal_input_is_refused_with_a_message_per_field(eng, priority, text, inds, field):
    nid = negotiation(eng)
    with pytest.raises(ValidationError) as err:
        store.save_goal(ED, nid, priority, text, inds, KNOWN, eng=eng)
    assert field in err.value.problems and err.value.problems[field]
    assert store.negotiation_tree("jamsa-keuruu", 2025, eng)["goals"] == []


def test_markup_is_kept_as_text_and_invisible_characters_go(eng):
    nid = negotiation(eng)
    text = "<script>alert(1)</script> **lihava** [linkki](http://x.example) \u202eevil\u200b"
    goal(eng, nid, text=text)
    stored = store.negotiation_tree("jamsa-keuruu", 2025, eng)["goals"][0]["text"]
    assert stored == "<script>alert(1)</script> **lihava** [linkki](http://x.example) evil"


def test_bad_action_input(eng):
    nid = negotiation(eng)
    gid = goal(eng, nid)
    with pytest.raises(ValidationError) as err:
        store.save_action(
            ED,
            gid,
            {
                "text": "",
                "responsible_kind": "king",
                "themes": ["x"],
                "partners": [("", "ngo"), ("MLL", "alien")],
            },
            eng=eng,
        )
    assert {"text", "responsible_kind", "themes", "partner_0", "partner_kind_1"} <= set(err.value.problems)
    with pytest.raises(ValidationError, match="ei ole ryhmän kunta"):
        store.save_action(
            ED,
            gid,
            {"text": "ok", "responsible_kind": "municipality", "responsible_name": "Helsinki"},
            ("Jämsä", "Keuruu"),
            eng=eng,
        )


def test_export_import_round_trip_is_lossless(eng, store_url, tmp_path):
    nid = negotiation(eng)
    gid = goal(eng, nid, text='Ääkköset ja "lainaukset" <b>säilyvät</b>')
    aid = store.save_action(
        ED,
        gid,
        {
            "text": "x",
            "responsible_kind": "ngo",
            "responsible_name": "MLL",
            "themes": ["senior_centre", "other"],
            "partners": [("Seurakunta", "parish")],
            "status_date": "2025-12-01",
        },
        eng=eng,
    )
    store.set_status(ED, aid, 1, "done", "valmis", "2026-01-15", eng=eng)
    first = transfer.export_data(eng)
    target = f"sqlite:///{tmp_path / 'copy.sqlite'}"
    db.migrate(target)
    counts = transfer.import_data(json.loads(json.dumps(first)), db.engine(target))
    assert counts["change_log"] == len(first["tables"]["change_log"]) and counts["goal"] == 1
    second = transfer.export_data(db.engine(target))
    first.pop("exported_at"), second.pop("exported_at")
    assert first == second
    # Ids continue after the imported ones.
    copy = db.engine(target)
    store.save_negotiation(ED, "jyvaskyla-muurame", 2025, {}, eng=copy)
    with pytest.raises(transfer.TransferError, match="not empty"):
        transfer.import_data(first, copy)
    db.dispose(target)


def test_import_into_postgresql_moves_the_id_sequences(eng, postgres):
    negotiation(eng)
    doc = transfer.export_data(eng)
    url = postgres.new_database()
    db.migrate(url)
    transfer.import_data(doc, db.engine(url))
    nid = store.save_negotiation(ED, "jyvaskyla-muurame", 2025, {}, eng=db.engine(url))
    assert nid == max(r["id"] for r in doc["tables"]["negotiation"]) + 1
    db.dispose(url)


@pytest.mark.parametrize(
    "doc, message",
    [
        ({"format": "other"}, "not a HYTE records export"),
        ({"format": "hyte-records", "format_version": 99}, "format version"),
        ({"format": "hyte-records", "format_version": 1, "tables": {"users": []}}, "unknown tables"),
    ],
)
def test_import_refuses_what_is_not_an_export(eng, doc, message):
    with pytest.raises(transfer.TransferError, match=message):
        transfer.import_data(doc, eng)


def test_backup_is_a_consistent_copy_while_writes_go_on(eng, tmp_path):
    nid = negotiation(eng)
    stop = threading.Event()

    def writer():
        i = 0
        while not stop.is_set() and i < 200:
            goal(eng, nid, text=f"tavoite {i}", inds=())
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        target = transfer.backup(
            tmp_path / "backup.sqlite" if db.is_sqlite(eng) else tmp_path / "b.json", eng
        )
    finally:
        stop.set()
        t.join()
    if db.is_sqlite(eng):
        con = sqlite3.connect(target)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        goals = con.execute("SELECT count(*) FROM goal").fetchone()[0]
        logged = con.execute("SELECT count(*) FROM change_log WHERE table_name = 'goal'").fetchone()[0]
        con.close()
        assert goals == logged  # every goal in the copy has its log entry: one transaction each
    else:
        doc = json.loads(target.read_text())
        assert len(doc["tables"]["goal"]) == sum(
            c["table_name"] == "goal" for c in doc["tables"]["change_log"]
        )


def test_ingest_never_imports_the_records_store():
    """The warehouse is rebuilt on every ingest; nothing under pipelines/ may open the record."""
    offences = []
    for path in (ROOT / "pipelines").rglob("*.py"):
        if path.name == "cli.py":
            continue  # `hyte records …` is the store's own command, not ingest
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            offences += [f"{path.name}: {m}" for m in mods if m.startswith("dashboard.records")]
    assert not offences


def test_ingest_while_records_are_being_edited_loses_nothing(tmp_path):
    """Publishing a new warehouse beside an open record: every save survives, and the store
    file is not touched by the ingest."""
    from pipelines import ingest
    from pipelines.config import load_config

    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    db.migrate(url)
    eng = db.engine(url)
    nid = negotiation(eng)
    saved, errors = [], []
    stop = threading.Event()

    def editor():
        i = 0
        while not stop.is_set():
            try:
                saved.append(goal(eng, nid, text=f"tavoite {i}", inds=()))
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
            i += 1

    t = threading.Thread(target=editor)
    t.start()
    try:
        for _round in range(2):
            ingest.run(load_config(ROOT / "data"), "demo", tmp_path / "warehouse.duckdb")
    finally:
        stop.set()
        t.join()
    assert not errors and len(saved) > 5
    tree = store.negotiation_tree("jamsa-keuruu", 2025, eng)
    assert sorted(g["id"] for g in tree["goals"]) == sorted(saved)
    db.dispose(url)


def test_validation_helpers():
    assert validate.parse_partners("MLL | järjestö\nLukio|oppilaitos\n\nYritys Oy") == [
        ("MLL", "ngo"),
        ("Lukio", "school"),
        ("Yritys Oy", "other"),
    ]
    assert validate.parse_partners("X | alien") == [("X", "alien")]  # refused by action_input
