"""Websocket clients that ask a local Streamlit server for reruns in a loop (loopback only).

    python -m tests.ws_hammer PORT [--clients 20] [--seconds 12] [--interval 0.05]

Each client opens /_stcore/stream like a browser (subprotocol "streamlit", no cookies),
then sends a `rerun_script` BackMsg every `interval` seconds for `seconds`, reading and
discarding what the server sends. Bounded in count and time; prints one JSON line
(sent, received, errors). Used by tests/test_serve_guards.py; a separate process, so the
test's own health probes do not compete with these clients for one GIL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

GROUPS = ["jamsa-keuruu", "jyvaskyla-muurame", "aanekoski-laukaa"]
MAX_CLIENTS, MAX_SECONDS = 50, 60


async def _client(port: int, index: int, stop_at: float, interval: float, tally: dict):
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from websockets.asyncio.client import connect

    try:
        async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                           open_timeout=30, max_size=None, close_timeout=2) as ws:
            async def drain():
                async for _message in ws:
                    tally["received"] += 1

            reader = asyncio.create_task(drain())
            k = 0
            while time.monotonic() < stop_at:
                msg = BackMsg()
                msg.rerun_script.query_string = f"group={GROUPS[(index + k) % len(GROUPS)]}"
                k += 1
                await ws.send(msg.SerializeToString())
                tally["sent"] += 1
                await asyncio.sleep(interval)
            reader.cancel()
    except Exception as exc:  # noqa: BLE001 - counted and reported
        tally["errors"].append(f"{type(exc).__name__}: {exc}"[:200])


async def hammer(port: int, clients: int, seconds: float, interval: float) -> dict:
    clients, seconds = min(clients, MAX_CLIENTS), min(seconds, MAX_SECONDS)
    tally = {"sent": 0, "received": 0, "errors": []}
    stop_at = time.monotonic() + seconds
    await asyncio.gather(*(_client(port, i, stop_at, interval, tally) for i in range(clients)))
    return tally


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.ws_hammer")
    ap.add_argument("port", type=int)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=12)
    ap.add_argument("--interval", type=float, default=0.05)
    args = ap.parse_args(argv)
    print(json.dumps(asyncio.run(hammer(args.port, args.clients, args.seconds, args.interval))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
