"""URL parameters: any input gives a valid view and friendly notes, never an exception."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.ui import urlstate as params

GROUPS = ["joutsa-luhanka-toivakka", "jyvaskyla-muurame"]


@pytest.mark.parametrize("raw, expected, n_notes", [
    ({}, ("joutsa-luhanka-toivakka", "all", "area"), 0),
    ({"group": "jyvaskyla-muurame", "priority": "everyday_safety", "benchmark": "country"},
     ("jyvaskyla-muurame", "everyday_safety", "country"), 0),
    ({"group": "nope"}, ("joutsa-luhanka-toivakka", "all", "area"), 1),
    ({"group": ""}, ("joutsa-luhanka-toivakka", "all", "area"), 1),
    ({"group": "<script>alert(1)</script>", "priority": "x", "benchmark": "y"},
     ("joutsa-luhanka-toivakka", "all", "area"), 3),
    ({"group": ["nope", "jyvaskyla-muurame"]}, ("jyvaskyla-muurame", "all", "area"), 0),
    ({"priority": " Active_Lifestyle "}, ("joutsa-luhanka-toivakka", "active_lifestyle", "area"),
     0),
    ({"group": "jyvaskyla-muurame" + "x" * 10_000}, ("joutsa-luhanka-toivakka", "all", "area"), 1),
])
def test_parse_overview(raw, expected, n_notes):
    p = params.parse_overview(raw, GROUPS)
    assert (p.group, p.priority, p.benchmark) == expected
    assert len(p.notes) == n_notes


@given(st.dictionaries(st.sampled_from(["group", "priority", "benchmark", "slide", "x"]),
                       st.one_of(st.text(), st.lists(st.text(), max_size=3))))
def test_any_input_gives_a_valid_state(raw):
    p = params.parse_overview(raw, GROUPS)
    assert p.group in GROUPS
    assert p.priority in params.PRIORITY_CHOICES
    assert p.benchmark in params.BENCHMARK_CHOICES
    for note in p.notes:  # notes never echo the input
        assert "<" not in note and len(note) < 120


@given(st.text())
def test_any_slide_value_gives_a_valid_slide(text):
    slide, note = params.parse_slide({"slide": text}, 7)
    assert 1 <= slide <= 7
    assert (note is None) == (text.strip().isascii() and text.strip().isdigit()
                              and 1 <= int(text.strip()) <= 7)


@pytest.mark.parametrize("value, expected", [("3", 3), ("0", 1), ("8", 1), ("-1", 1),
                                             ("1e3", 1), ("٣", 1)])
def test_parse_slide(value, expected):
    assert params.parse_slide({"slide": value}, 7)[0] == expected
