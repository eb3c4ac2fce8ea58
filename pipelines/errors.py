"""Errors as the one line the `hyte` command prints (no traceback, no raw control characters)."""

from __future__ import annotations

from pipelines.text import printable


class LocalFileError(RuntimeError):
    """A local file or directory the run needs (recorded responses, HTTP cache) cannot be
    written; the run stops and publishes nothing. The message names the path."""


def describe_os_error(exc: OSError) -> str:
    """`path: reason` (`[Errno 28] No space left on device` becomes its words)."""
    reason = exc.strerror or type(exc).__name__
    names = [n for n in (exc.filename, exc.filename2) if n]
    if names:
        return printable(f"{' -> '.join(str(n) for n in names)}: {reason}")
    return printable(reason if exc.strerror else str(exc) or reason)


def describe_error(exc: BaseException) -> str:
    """The first line of any error, made printable."""
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return printable(first, limit=300)
