"""Text that came from outside (API bodies, files, arguments), made safe to print and store.

`printable` is the one helper every message goes through before it reaches a terminal,
stderr, load_log or the indicator table: an upstream error body can hold terminal escape
sequences (colours, cursor moves, a window title, OSC 8 links) or bidirectional overrides
that make a line read differently from what it says.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates (Trojan Source); category Cf but not
# worth keeping from outside.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: object, *, one_line: bool = True, limit: int | None = None) -> str:
    """`text` with every control character shown as an escape (`\\x1b`, `\\u202e`).

    one_line: newlines, tabs and runs of whitespace become one space (messages are one
    line); otherwise newlines and tabs are kept and only the rest is escaped.
    limit: cut to this many characters, with an ellipsis.
    """
    out = []
    for ch in str(text):
        if ch in "\n\r\t\f\v" and one_line:
            out.append(" ")
        elif ch in "\n\t" and not one_line:
            out.append(ch)
        elif ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cs") or ch == "\u2028" \
                or ch == "\u2029":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    result = "".join(out)
    if one_line:
        result = re.sub(" {2,}", " ", result).strip()
    if limit is not None and len(result) > limit:
        result = result[: max(0, limit - 1)] + "…"
    return result


def json_text(text: str) -> str:
    """JSON text (from json.dumps(..., ensure_ascii=False)) with the characters `printable`
    escapes written as JSON escapes (\\u001b, \\u009b, \\u202e): still valid JSON that reads
    back the same, readable Finnish, nothing a terminal acts on."""
    return "".join(
        f"\\u{ord(ch):04x}" if ch in _BIDI or ch in "\u2028\u2029"
        or unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n" else ch
        for ch in text)
