"""`hyte ingest --indicators card|all|<ids>|<file>`: which indicators' data to load.

card: the card's catalogue (data/indicators.toml) only. all: every indicator Sotkanet
lists. <ids> ("1234,5678") or a file of ids (one or more per line, commas or spaces, '#'
comments): the card's indicators, those ids, and the other indicators the live warehouse
already holds (loading one more never drops what an analyst loaded before).
"""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.plausibility import ID_MAX, ID_MIN

_SPLIT = re.compile(r"[\s,;]+")


class IndicatorSetError(ValueError):
    """The --indicators argument cannot be read; the message names it."""


def parse(spec: str) -> str | list[int]:
    """'card', 'all' or the list of ids the argument (or the file it names) gives."""
    text = (spec or "").strip()
    if text.lower() in ("card", "all"):
        return text.lower()
    if re.fullmatch(r"[\d\s,;]+", text):
        return _ids(text, f"--indicators {text!r}")
    path = Path(text)
    if not path.is_file():
        raise IndicatorSetError(f"--indicators {text!r}: expected card, all, ids such as "
                                "1234,5678, or a file of ids (no such file)")
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IndicatorSetError(f"--indicators {path}: cannot read ({exc})") from None
    ids: list[int] = []
    for n, line in enumerate(content.splitlines(), start=1):
        body = line.split("#", 1)[0].strip()
        if body:
            ids += _ids(body, f"--indicators {path}, line {n}")
    if not ids:
        raise IndicatorSetError(f"--indicators {path}: the file names no indicator id")
    return list(dict.fromkeys(ids))


def _ids(text: str, where: str) -> list[int]:
    out = []
    for token in (t for t in _SPLIT.split(text) if t):
        if not token.isdigit() or not ID_MIN <= int(token) <= ID_MAX:
            raise IndicatorSetError(f"{where}: {token!r} is not an indicator id "
                                    f"({ID_MIN}..{ID_MAX})")
        out.append(int(token))
    if not out:
        raise IndicatorSetError(f"{where}: no indicator id")
    return out


def resolve(spec: str | list[int], listed: list[int], card: list[int],
            live_extra: list[int]) -> list[int]:
    """The ids whose data this run loads, card first, each once."""
    chosen = parse(spec) if isinstance(spec, str) else list(spec)
    if chosen == "card":
        return list(card)
    if chosen == "all":
        return list(dict.fromkeys([*card, *listed]))
    return list(dict.fromkeys([*card, *chosen, *live_extra]))
