"""The notices every page, slide and file carries: the source and licence, and demo data."""

from __future__ import annotations

from dashboard.i18n.catalog import _


def source_line() -> str:
    return _("Lähde: THL, Sotkanet (sotkanet.fi), lisenssi CC BY 4.0.")


def demo_banner() -> str:
    return _("DEMOAINEISTO – luvut ovat synteettisiä eivätkä kuvaa todellisia kuntia. "
             "Oikeat tiedot: hyte ingest --source sotkanet.")


def demo_badge() -> str:
    return _("DEMOAINEISTO – synteettiset luvut")
