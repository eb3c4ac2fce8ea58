"""Constants for the Sotkanet source: address, identification, timeouts, retries and cache."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

DEFAULT_BASE_URL = "https://sotkanet.fi/rest/1.1"


def base_url() -> str:
    """The REST base address: $SOTKANET_BASE_URL (tests, local mirrors) or the real service."""
    return (os.environ.get("SOTKANET_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


# The service answers 403 to no User-Agent or a library default; THL asks to be able to
# tell batch downloads apart, so say who we are and where to read about us.
USER_AGENT = (
    "hyte-tilannekuva/0.1 (HYTE wellbeing dashboard; batch download; "
    "+https://github.com/hyte-tilannekuva)"
)

CONNECT_TIMEOUT = 10.0  # seconds
READ_TIMEOUT = 60.0  # seconds; one indicator over ten years and all regions is a few MB
TIMEOUT = (CONNECT_TIMEOUT, READ_TIMEOUT)

# urllib3's Retry defaults do not back off, do not retry 5xx and obey Retry-After for hours.
RETRY_TOTAL = 5
RETRY_BACKOFF_FACTOR = 1.0
RETRY_BACKOFF_MAX = 30.0
RETRY_STATUS_FORCELIST = (429, 500, 502, 503, 504)
MAX_RETRY_AFTER = 60.0  # seconds; a longer Retry-After is cut to this

CACHE_EXPIRE_AFTER = timedelta(hours=24)
CACHE_NAME = "sotkanet"  # sqlite file name inside the cache directory

# Region categories the warehouse keeps; for MAA only Finland (country id) is kept.
KEEP_CATEGORIES = ("KUNTA", "HYVINVOINTIALUE", "MAAKUNTA", "MAA")
COUNTRY_ID = 658
GENDERS = ("total", "male", "female")


def http_cache_dir() -> Path:
    """Where the HTTP cache lives: $HYTE_HTTP_CACHE or <project>/data/cache/http."""
    env = os.environ.get("HYTE_HTTP_CACHE")
    return Path(env) if env else PROJECT_ROOT / "data" / "cache" / "http"
