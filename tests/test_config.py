"""Configuration validation: every message names the file, the entry and the field."""

import shutil
from pathlib import Path

import pytest

from pipelines.config import ConfigError, load_config

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def config_dir(tmp_path):
    for name in ("regions.toml", "groups.toml", "indicators.toml"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def test_shipped_configuration_is_valid():
    config = load_config(DATA)
    assert len(config.municipalities) == 22
    assert len(config.groups) == 6
    assert sorted(m for g in config.groups for m in g.members) == sorted(
        m.region_id for m in config.municipalities)
    assert config.county.region_id == 965 and config.country.region_id == 658


def test_catalogue_covers_every_priority():
    config = load_config(DATA)
    for priority in ("mental_wellbeing", "everyday_safety", "active_lifestyle"):
        assert sum(i.priority == priority for i in config.indicators) >= 10, priority
    assert sum(i.priority == "context" for i in config.indicators) >= 5


def _edit(text: str, old: str, new: str, entry_id: int | None) -> str:
    """Replace `old` inside the catalogue entry with `entry_id` (or the first occurrence)."""
    start = 0
    if entry_id is not None:
        start = text.index(f"\nid = {entry_id}\n")
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old):]


@pytest.mark.parametrize("filename, entry_id, old, new, expected", [
    ("indicators.toml", 181, 'polarity = "low_good"', 'polarity = "bad_is_good"',
     ["indicators.toml", "indicator 181", "'polarity'", "high_good"]),
    ("indicators.toml", 2458, 'unit = "per_1000"', 'unit = "furlongs"',
     ["indicators.toml", "indicator 2458", "'unit'"]),
    ("indicators.toml", None, "id = 181\n", "id = \"181\"\n",
     ["indicators.toml", "indicator #", "'id'", "int"]),
    ("indicators.toml", None, "id = 761\n", "id = 181\n",
     ["indicators.toml", "181", "appears twice"]),
    ("indicators.toml", 127, "verified = true\n", "",
     ["indicators.toml", "indicator 127", "missing field 'verified'"]),
    ("indicators.toml", 4, "typical = ", "typical = -",
     ["indicators.toml", "indicator 4", "'typical'", "out of range"]),
    ("groups.toml", None, 'members = ["179", "500"]', 'members = ["179", "999"]',
     ["groups.toml", "group 'jyvaskyla-muurame'", "'members'", "'999'"]),
    ("groups.toml", None, 'members = ["179", "500"]', 'members = ["179", "172"]',
     ["groups.toml", "'jyvaskyla-muurame'", "already in group 'joutsa-luhanka-toivakka'"]),
    ("groups.toml", None, 'id = "jyvaskyla-muurame"', 'id = "jyväskylä muurame"',
     ["groups.toml", "'id'"]),
    ("regions.toml", None, 'code = "435"', "code = 435",
     ["regions.toml", "municipality #2 (Luhanka)", "'code'", "str"]),
    ("regions.toml", None, "region_id = 965", "region_id = 966",
     ["groups.toml", "county_region_id"]),
    ("regions.toml", None, "[county]", "[kounty]",
     ["regions.toml", "missing table [county]"]),
    ("indicators.toml", None, "[[indicator]]\nid = 127", "[[indicator]\nid = 127",
     ["indicators.toml", "not valid TOML"]),
])
def test_invalid_configuration_names_file_entry_and_field(config_dir, filename, entry_id, old,
                                                          new, expected):
    path = config_dir / filename
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {filename}"
    path.write_text(_edit(text, old, new, entry_id), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(config_dir)
    for fragment in expected:
        assert fragment in str(err.value)


def test_missing_file_is_named(config_dir):
    (config_dir / "groups.toml").unlink()
    with pytest.raises(ConfigError, match=r"groups.toml: file not found"):
        load_config(config_dir)
