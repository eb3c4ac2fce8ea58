"""Text from outside shown as text: the one escaping rule for everything drawn as Markdown.

Indicator titles, producers, region names, notices (and, later, what people type) pass
through `md_escape` before any st.markdown/st.caption/st.info; widget labels and table
cells are plain text already.
"""

from __future__ import annotations

_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$&:")


ZWSP = "\u200b"
_AUTOLINK_BREAKS = {"://": f":{ZWSP}//", "www.": f"www{ZWSP}.", "@": f"@{ZWSP}"}


def md_escape(text) -> str:
    """Text from outside (titles, names, notices) shown literally inside st.markdown.

    Backslash escapes stop Markdown and HTML; GFM still turns bare URLs and e-mail
    addresses into links after unescaping, so a zero-width space breaks those patterns.
    """
    if text is None:
        return ""
    text = str(text).replace("\n", " ")
    for pattern, broken in _AUTOLINK_BREAKS.items():
        text = text.replace(pattern, broken)
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)
