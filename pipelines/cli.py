"""The `hyte` command: serve, ingest, status, catalog-check, export, bench."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pipelines import ingest, warehouse
from pipelines.config import ConfigError, load_config
from pipelines.errors import describe_error
from pipelines.text import json_text, printable

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_WARNINGS = 0, 1, 2, 3
SEED_MAX = 2**32 - 1


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2), like every other failure."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        hint = f" (see: {self.prog} --help)"
        print(f"hyte: error: {printable(message)}{hint}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (1..65535)")
    return port


def _seed(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= seed <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"{seed} is outside 0..{SEED_MAX}")
    return seed


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= n <= 8:  # bulk_load.MAX_WORKERS: polite to Sotkanet
        raise argparse.ArgumentTypeError(f"{n} is outside 1..8")
    return n


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="hyte",
        description="HYTE tilannekuva: Sotkanet indicators -> DuckDB warehouse -> dashboard.",
        epilog="Environment: HYTE_WAREHOUSE (default data/warehouse.duckdb), "
               "SOTKANET_BASE_URL (default https://sotkanet.fi/rest/1.1), HYTE_CONFIG_DIR, "
               "HYTE_SURVEY_DIR (default data/surveys).",
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="start the dashboard (builds demo data when no warehouse)")
    s.add_argument("--port", type=_port, default=None, help="default 8501")
    s.add_argument("--address", default=None,
                   help="bind address (default 127.0.0.1: this machine only; 0.0.0.0 for "
                        "every interface)")
    s.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="a host name browsers use to reach the app (behind a proxy: its "
                        "public name); repeat for several")

    i = sub.add_parser("ingest", help="build and publish the warehouse")
    i.add_argument("--source", choices=["sotkanet", "demo", "dir"], required=True)
    i.add_argument("--from-dir", type=Path, help="with --source dir: recorded responses")
    i.add_argument("--save-responses", type=Path, metavar="DIR",
                   help="with --source sotkanet: also record the raw API responses here")
    i.add_argument("--strict", action="store_true",
                   help="publish nothing unless every indicator succeeded")
    i.add_argument("--demo-size", choices=["county", "finland"], default="county",
                   help="with --source demo: the county only, or all of Finland (~300 "
                        "municipalities, for benchmarks)")
    i.add_argument("--seed", type=_seed, default=None,
                   help="with --source demo: another deterministic variant of the demo data")
    i.add_argument("--surveys", type=Path, metavar="DIR", default=None,
                   help="the NGO survey folder (exports + mapping TOML files); default "
                        "HYTE_SURVEY_DIR or data/surveys/ (with --source demo: the synthetic "
                        "survey, plus DIR only when given)")
    i.add_argument("--indicators", default="card", metavar="SET",
                   help="whose data to load: card (default: the card's catalogue), all (every "
                        "Sotkanet indicator), ids such as 1234,5678 or a file of ids (added to "
                        "the card's and to what the warehouse already holds); the whole "
                        "catalogue's metadata is loaded every time")
    i.add_argument("--workers", type=_workers, default=None,
                   help="parallel requests to Sotkanet, 1..8 (default 3)")
    i.add_argument("--refresh", action="store_true",
                   help="download every indicator again, even where data-updated is unchanged "
                        "since the live warehouse was built")
    i.add_argument("--quiet", action="store_true", help="no progress lines")

    t = sub.add_parser("survey-template",
                       help="write the blank NGO survey template (.xlsx) and example mapping")
    t.add_argument("--out", type=Path, default=None, help="folder (default: data/)")

    st = sub.add_parser("status", help="what the live warehouse holds")
    st.add_argument("--json", action="store_true")

    sub.add_parser("catalog-check", help="check the indicator catalogue against Sotkanet")

    e = sub.add_parser("export", help="offline exports of group overviews (HTML, PDF, PNG)")
    e.add_argument("--group", action="append", default=None, metavar="GROUP_ID",
                   help="a group id (repeat for several); default: every group")
    e.add_argument("--format", action="append", choices=["html", "pdf", "png"], default=None,
                   dest="formats", help="repeat for several; default: html and pdf")
    e.add_argument("--out", type=Path, default=Path("exports"), help="output directory")
    e.add_argument("--lang", choices=["fi", "sv", "en"], default="fi",  # catalog.LANGUAGES
                   help="language of the files (default: fi)")
    e.add_argument("--municipality", action="append", default=None, metavar="CODE",
                   help="municipality cards instead of group overviews: an official code "
                        "(e.g. 179; repeat for several) or 'all' (every card, each group's "
                        "set and the county's PDF with a contents page); formats html, pdf")
    e.add_argument("--site", nargs="?", const="", default=None, type=str, metavar="DIR",
                   help="the room site instead: every group's overview and every card as "
                        "static pages, switched in atomically (default DIR: HYTE_SITE_DIR or "
                        "dashboard/static, served at /app/static/room/)")

    _records_parser(sub)

    b = sub.add_parser("bench", help="the benchmark command (same as python -m benchmarks)")
    b.add_argument("bench_args", nargs=argparse.REMAINDER,
                   help="arguments for the benchmark, e.g. --quick")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except ConfigError as exc:
        _fail(f"configuration: {exc}")
        return EXIT_FAILED
    except warehouse.WarehouseError as exc:
        _fail(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _fail("interrupted; the live warehouse is unchanged")
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - OSError, MemoryError, RecursionError, ...
        # The last net: one line, never a traceback (HYTE_DEBUG=1 shows it).
        if os.environ.get("HYTE_DEBUG"):
            raise
        _fail(f"{args.command}: {type(exc).__name__}: {describe_error(exc)} "
              "(HYTE_DEBUG=1 shows the traceback)")
        return EXIT_FAILED


def _fail(message: str) -> None:
    print(f"hyte: error: {printable(message)}", file=sys.stderr)


def _progress(quiet: bool):
    if quiet:
        return lambda _m: None
    return lambda m: print(m, file=sys.stderr, flush=True)


def cmd_ingest(args) -> int:
    if args.from_dir and args.source != "dir":
        _fail("--from-dir is only for --source dir")
        return EXIT_USAGE
    if args.seed is not None and args.source != "demo":
        _fail("--seed is only for --source demo")
        return EXIT_USAGE
    if args.save_responses and args.source != "sotkanet":
        _fail("--save-responses is only for --source sotkanet")
        return EXIT_USAGE
    from pipelines.indicator_sets import IndicatorSetError, parse

    try:
        parse(args.indicators)
    except IndicatorSetError as exc:
        _fail(str(exc))
        return EXIT_USAGE
    if args.source == "demo" and (args.indicators != "card" or args.workers is not None):
        _fail("--indicators and --workers are for --source sotkanet or dir")
        return EXIT_USAGE
    config = load_config()
    live = warehouse.warehouse_path()
    try:
        result = ingest.run(config, args.source, live, from_dir=args.from_dir,
                            save_dir=args.save_responses, strict=args.strict,
                            demo_size=args.demo_size, progress=_progress(args.quiet),
                            survey_dir=args.surveys,
                            indicators=args.indicators, workers=args.workers or 3,
                            refresh=args.refresh,
                            **({"demo_seed": args.seed} if args.seed is not None else {}))
    except ingest.IngestError as exc:
        _fail(f"{exc} (live warehouse unchanged)")
        return EXIT_FAILED
    for w in result.warnings:
        print(f"warning: {printable(w)}", file=sys.stderr)
    rows = ", ".join(f"{k} {v:,}".replace(",", " ") for k, v in result.rows.items())
    print(f"published {live} ({rows})")
    if result.exit_code == EXIT_WARNINGS:
        print(f"published with warnings: {len(result.warnings)} problem(s) listed above",
              file=sys.stderr)
    return result.exit_code


def cmd_survey_template(args) -> int:
    from pipelines.config import config_dir
    from pipelines.surveys import template

    for path in template.write_all(args.out or config_dir(), load_config()):
        print(path)
    return EXIT_OK


def cmd_status(args) -> int:
    live = warehouse.warehouse_path()
    try:
        info = warehouse.status(live)
    except FileNotFoundError:
        _fail(f"no warehouse at {live}; build one with: hyte ingest --source demo")
        return EXIT_FAILED
    except warehouse.WarehouseError as exc:
        _fail(str(exc))
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - any DuckDB/IO failure is one line here
        _fail(f"warehouse {live} cannot be read ({describe_error(exc)}); "
              "rebuild it with: hyte ingest --source demo")
        return EXIT_FAILED
    if args.json:
        print(json_text(json.dumps(info, ensure_ascii=False, indent=2)))
        return EXIT_OK
    return _print_status(info)


def _print_status(info: dict) -> int:
    p = printable
    print(f"warehouse  {p(info['path'])} ({info['size_bytes'] / 1e6:.1f} MB)")
    print(f"source     {p(info['source'])}"
          f"{'  (DEMO DATA, not real figures)' if info['is_demo'] else ''}")
    print(f"built at   {p(info['built_at'])}")
    print("rows       " + ", ".join(f"{k} {v}" for k, v in info["rows"].items()))
    print()
    print(f"{'id':>6}  {'years':<11} {'rows':>7}  {'updated':<10}  {'status':<7} name")
    for ind in info["indicators"]:
        years = (f"{ind['first_year']}–{ind['last_year']}" if ind["first_year"] else "—")
        print(f"{ind['indicator_id']:>6}  {years:<11} {ind['rows']:>7}  "
              f"{ind['data_updated'] or '—':<10}  {p(ind['status']):<7} {p(ind['name_fi'])}")
        if ind["detail"]:
            print(f"{'':>8}{p(ind['detail'])}")
    return EXIT_OK


def cmd_catalog_check(args) -> int:
    from pipelines.sotkanet.catalog_check import check_catalogue, format_findings
    from pipelines.sotkanet.client import SotkanetClient, SotkanetError

    config = load_config()
    try:
        with SotkanetClient() as client:
            findings = check_catalogue(config.indicators, client)
    except SotkanetError as exc:
        _fail(str(exc))
        return EXIT_FAILED
    print(format_findings(findings))
    bad = [f for f in findings if f.status != "found"]
    if bad:
        print(f"{len(bad)} of {len(findings)} catalogue indicators need attention", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def cmd_serve(args) -> int:
    from pipelines import serve

    try:  # argument errors first: before building anything
        serve.check_bind(serve.effective_address(args.address), serve.effective_port(args.port))
    except serve.ServeError as exc:
        _fail(str(exc))
        return exc.exit_code
    live = Path(os.path.abspath(warehouse.warehouse_path()))  # keeps a symlink a symlink
    os.environ["HYTE_WAREHOUSE"] = str(live)
    if not os.path.lexists(live):
        print(f"no warehouse at {live}: building one from the bundled demo data …",
              file=sys.stderr)
        try:
            ingest.run(load_config(), "demo", live, progress=_progress(False))
        except ingest.IngestError as exc:
            _fail(str(exc))
            return EXIT_FAILED
    try:
        return serve.serve(args.port, args.address, args.allowed_host)
    except serve.ServeError as exc:
        _fail(str(exc))
        return exc.exit_code


def cmd_export(args) -> int:
    # The export builds straight from dashboard.data and the model (reports.assemble): no
    # Streamlit is imported, so no Streamlit cache is involved.
    import duckdb

    from dashboard.data import WarehouseUnavailable
    from dashboard.reports import export

    live = warehouse.warehouse_path()
    warehouse.check_readable(live)  # one line naming the table, column or meta row
    if args.site is not None:
        return _export_site(args, live)
    try:
        if args.municipality:
            if "png" in (args.formats or []):
                _fail("--format png is for group overviews; municipality cards are html or pdf")
                return EXIT_USAGE
            written = export.export_cards(live, args.municipality,
                                          args.formats or ["html", "pdf"], args.out,
                                          group_ids=args.group, progress=_progress(False),
                                          lang=args.lang)
        else:
            written = export.export_groups(live, args.group, args.formats or ["html", "pdf"],
                                           args.out, progress=_progress(False), lang=args.lang)
    except export.ExportError as exc:
        _fail(str(exc))
        return EXIT_FAILED
    except (WarehouseUnavailable, duckdb.Error, KeyError, ValueError) as exc:
        # The file changed under the export, or holds what check_readable cannot see.
        _fail(f"export from {live} failed: {describe_error(exc)}; "
              "rebuild it with: hyte ingest --source demo")
        return EXIT_FAILED
    for path in written:
        print(path)
    return EXIT_OK


def _export_site(args, live: Path) -> int:
    from dashboard.reports import room_site

    try:
        link = room_site.build(live, Path(args.site) if args.site else None, lang=args.lang,
                               progress=_progress(False))
    except room_site.SiteError as exc:
        _fail(f"{exc} (the previous site is still served)")
        return EXIT_FAILED
    print(link)
    return EXIT_OK


def cmd_bench(args) -> int:
    from benchmarks.__main__ import main as bench_main

    return bench_main(args.bench_args)


# --- hyte records: the negotiation record's store (dashboard/records) ----------------------------
# One block: the store is the dashboard's (ingest never opens it); these commands migrate it,
# move it as JSON, back it up while the app runs, and write the round's summary files.


def _records_parser(sub) -> None:
    r = sub.add_parser("records", help="the negotiation record: migrate, export, import, backup, summary",
                       epilog="Store: HYTE_RECORDS_URL (SQLAlchemy URL, e.g. PostgreSQL) or the SQLite "
                              "file HYTE_RECORDS (default data/records.sqlite).")
    rs = r.add_subparsers(dest="records_command", required=True)
    rs.add_parser("migrate", help="bring the store's schema to the newest migration (creates it)")
    e = rs.add_parser("export", help="the whole record as JSON (lossless; ids, versions, change log)")
    e.add_argument("--out", type=Path, default=None, help="file (default: standard output)")
    i = rs.add_parser("import", help="load a JSON export into an empty store")
    i.add_argument("file", type=Path)
    b = rs.add_parser("backup",
                      help="a consistent copy while the app runs (SQLite file; JSON for PostgreSQL)")
    b.add_argument("--out", type=Path, default=None,
                   help="target file (default: backups/records-<time>.sqlite beside the SQLite file, "
                        "data/backups/records-<time>.json for PostgreSQL)")
    s = rs.add_parser("summary", help="the round's summary across groups (Word, PDF, HTML, CSV, Parquet)")
    s.add_argument("--round", type=int, required=True, dest="round_year")
    s.add_argument("--out", type=Path, default=Path("exports"), help="output directory")


def cmd_records(args) -> int:
    from datetime import UTC, datetime

    from dashboard.records import db, store, transfer

    try:
        if args.records_command == "migrate":
            print(f"records store {db.safe_url(db.url())} at revision {db.migrate()}")
            return EXIT_OK
        db.migrate()
        if args.records_command == "export":
            text = transfer.export_json()
            if args.out is None:
                print(text)
            else:
                args.out.parent.mkdir(parents=True, exist_ok=True)
                args.out.write_text(text, encoding="utf-8")
                print(args.out)
            return EXIT_OK
        if args.records_command == "import":
            try:
                text = args.file.read_text(encoding="utf-8")
            except OSError as exc:
                _fail(f"cannot read {args.file}: {exc.strerror or exc}")
                return EXIT_FAILED
            counts = transfer.import_json(text)
            print("imported " + ", ".join(f"{k} {v}" for k, v in counts.items()))
            return EXIT_OK
        if args.records_command == "backup":
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            if db.is_sqlite(db.url()):
                folder = Path(db.engine().url.database).resolve().parent / "backups"
                target = args.out or folder / f"records-{stamp}.sqlite"
            else:
                target = args.out or db.PROJECT_ROOT / "data" / "backups" / f"records-{stamp}.json"
            print(transfer.backup(target))
            return EXIT_OK
        if args.records_command == "summary":
            return _records_summary(args, store)
    except (db.StoreUnavailable, transfer.TransferError) as exc:
        _fail(str(exc))
        return EXIT_FAILED
    return EXIT_USAGE


def _records_summary(args, store) -> int:
    import streamlit.logger

    streamlit.logger.set_log_level("error")
    from dashboard import data
    from dashboard.i18n import names
    from dashboard.reports import export, summary

    live = warehouse.warehouse_path()
    os.environ["HYTE_WAREHOUSE"] = str(live)
    try:
        version = data.version()
        cat = names.localize(data.catalogue(version), "fi")
    except data.WarehouseUnavailable as exc:
        _fail(str(exc))
        return EXIT_FAILED
    trees = store.round_trees(args.round_year)
    if not trees:
        _fail(f"no negotiation recorded for round {args.round_year}")
        return EXIT_FAILED
    s = summary.build(version, cat, trees, args.round_year, export.exported_now())
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"hyte-yhteenveto-{args.round_year}"
    files = [(f"{stem}.docx", summary.docx_bytes(s)), (f"{stem}.pdf", summary.pdf_bytes(s)),
             (f"{stem}.html", summary.html_text(s).encode("utf-8")), *summary.table_files(s)]
    for name, content in files:
        (args.out / name).write_bytes(content)
        print(args.out / name)
    return EXIT_OK


_COMMANDS = {
    "ingest": cmd_ingest,
    "status": cmd_status,
    "catalog-check": cmd_catalog_check,
    "serve": cmd_serve,
    "export": cmd_export,
    "bench": cmd_bench,
    "records": cmd_records,
    "survey-template": cmd_survey_template,
}

if __name__ == "__main__":
    sys.exit(main())
