"""The race behind the compare/explore flake, made deterministic, and the wait that fixes it.

A page in Chromium whose second chart mounts a second after the script run finished (what a
slow or busy browser does with Streamlit's lazily mounted Vega charts): the old condition
("the app says notRunning and every chart present has drawn") is already true with 1 of 2
charts drawn; `ScriptWatch.wait` (the script sent 2 charts) waits for the second.
"""

from __future__ import annotations

import time

import pytest

from tests.browser_support import ScriptWatch

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><div data-testid="stApp" data-test-script-state="notRunning">
<div class="vega-embed"><canvas width="10" height="10"></canvas></div></div>
<script>window.mountLater = ms => setTimeout(() => {
  const e = document.createElement('div'); e.className = 'vega-embed';
  e.innerHTML = '<canvas width="10" height="10"></canvas>';
  document.querySelector('[data-testid=stApp]').appendChild(e);
}, ms)</script>"""

# The wait of tests/test_e2e_pages.py before this change (least = 0 for compare/explore).
OLD_CONDITION = ("least => { const e = [...document.querySelectorAll('.vega-embed')];"
                 " return e.length >= least && e.every(x => x.querySelector('canvas, svg.marks')); }")
DRAWN = "() => document.querySelectorAll('.vega-embed canvas').length"


def frames() -> list[bytes]:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    out = []
    start = ForwardMsg()
    start.new_session.name = "app"
    out.append(start)
    for i in range(2):
        chart = ForwardMsg()
        chart.metadata.delta_path.extend([0, i])
        chart.delta.new_element.vega_lite_chart.spec = "{}"
        out.append(chart)
    done = ForwardMsg()
    done.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    out.append(done)
    return [m.SerializeToString() for m in out]


def test_the_old_wait_passes_with_one_of_two_charts_and_the_new_one_waits(browser):
    page = browser.new_page()
    try:
        page.set_content(PAGE)
        page.wait_for_selector('[data-test-script-state="notRunning"]')
        page.wait_for_function(OLD_CONDITION, arg=0, timeout=5000)
        assert page.evaluate(DRAWN) == 1  # the old wait was satisfied here: the flake

        watch = ScriptWatch()
        for frame in frames():  # what the server's websocket said for this run
            watch.on_frame(frame)
        assert watch.finished and len(watch.charts) == 2
        started = time.monotonic()
        page.evaluate("window.mountLater(1000)")  # the second chart mounts late
        assert watch.wait(page, timeout_ms=10_000) == 2
        assert page.evaluate(DRAWN) == 2
        assert time.monotonic() - started > 0.5  # it really waited for the late chart
    finally:
        page.close()


def test_a_run_cut_short_for_a_rerun_is_not_finished():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    watch = ScriptWatch()
    for frame in frames()[:-1]:
        watch.on_frame(frame)
    early = ForwardMsg()
    early.script_finished = ForwardMsg.FINISHED_EARLY_FOR_RERUN
    watch.on_frame(early.SerializeToString())
    assert not watch.finished
    restart = ForwardMsg()
    restart.new_session.name = "app"
    watch.on_frame(restart.SerializeToString())
    assert watch.charts == set() and watch.runs == 2
