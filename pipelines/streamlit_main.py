"""Streamlit's own command line, with three guards Streamlit 1.67 has no option for.

`hyte serve` execs `python -m pipelines.streamlit_main run dashboard/app.py <flags>`, which
is `streamlit run` after these changes to the running server (nothing on disk changes):

1. **Fair script slots.** At most `HYTE_SCRIPT_SLOTS` script runs execute at once (default
   1); the others wait their turn in arrival order, and a rerun goes to the back of the
   queue. Twenty websocket clients asking for reruns in a loop used to start twenty
   CPU-bound script threads that starved the server's event loop of the GIL (the health
   check did not answer for minutes, SIGTERM took as long). Scripts are Python under one
   GIL, so a second slot buys little: measured on the 2-core VM under that flood, health
   answered in at most 0.7 s with one slot, 1.9-2.0 s with two, never with none.
   With `runner.fastReruns = false` (streamlit_config.toml) a session has one script
   thread, so the waiting threads are bounded by the sessions.
2. **No clear-cache from browsers.** Streamlit's `clear_cache` message empties the cache
   shared by every visitor; the menu item is hidden (`client.toolbarMode`), the message
   is now ignored too (and logged). An operator restarts the server to clear it.
3. **No metrics endpoint.** `/_stcore/metrics` (session counts, cache sizes) is not
   served; the proxy need not hide it.

They patch Streamlit internals (ScriptRunner._run_script_thread/_install_event_loop,
AppSession._handle_clear_cache_request, starlette_app.create_metrics_routes): if an
upgrade renames one, the server refuses to start with one line naming it, and
tests/test_serve_guards.py fails, so the guard is never silently lost.
"""

from __future__ import annotations

import collections
import logging
import os
import sys
import threading

_LOG = logging.getLogger("streamlit.hyte_guards")  # Streamlit's handler and format


class FairSlots:
    """A counting semaphore that hands slots over in arrival order (no barging)."""

    def __init__(self, slots: int):
        if slots < 1:
            raise ValueError("slots must be at least 1")
        self._lock = threading.Lock()
        self._free = slots
        self._waiting: collections.deque[threading.Event] = collections.deque()

    def acquire(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # the releasing thread passed its slot to us

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1

    @property
    def waiting(self) -> int:
        return len(self._waiting)


def default_slots() -> int:
    raw = os.environ.get("HYTE_SCRIPT_SLOTS", "").strip()
    if not raw:
        return 1
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"HYTE_SCRIPT_SLOTS={raw!r} is not a whole number of at least 1")
    return int(raw)


class GuardMissing(RuntimeError):
    pass


def install_guards(slots: int) -> FairSlots:
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
    from streamlit.web.server.starlette import starlette_app

    needed = [(ScriptRunner, "_run_script_thread"), (ScriptRunner, "_install_event_loop"),
              (AppSession, "_handle_clear_cache_request"),
              (starlette_app, "create_metrics_routes")]
    for owner, name in needed:
        if not callable(getattr(owner, name, None)):
            raise GuardMissing(f"{getattr(owner, '__name__', owner)}.{name} is gone in this "
                               "Streamlit version; update pipelines/streamlit_main.py")

    gate = FairSlots(slots)
    held = threading.local()
    run_thread = ScriptRunner._run_script_thread
    install_loop = ScriptRunner._install_event_loop

    def _run_script_thread(self):
        try:
            return run_thread(self)
        finally:
            if getattr(held, "slot", False):
                held.slot = False
                gate.release()

    def _install_event_loop(self):
        # Called once as the script thread starts and again at the top of every run of the
        # script (each rerun): give the slot back, queue again, then run.
        if getattr(held, "slot", False):
            held.slot = False
            gate.release()
        gate.acquire()
        held.slot = True
        return install_loop(self)

    def _ignore_clear_cache(self):
        _LOG.warning("ignored a clear_cache request from a browser: the cache is shared by "
                     "every visitor (restart the server to clear it)")

    ScriptRunner._run_script_thread = _run_script_thread
    ScriptRunner._install_event_loop = _install_event_loop
    AppSession._handle_clear_cache_request = _ignore_clear_cache
    starlette_app.create_metrics_routes = lambda runtime, base_url: []
    return gate


def main(argv: list[str] | None = None) -> None:
    try:
        install_guards(default_slots())
    except (GuardMissing, ValueError) as exc:
        print(f"hyte: error: serve: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    from streamlit.web import cli

    sys.argv = ["streamlit", *(sys.argv[1:] if argv is None else argv)]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
