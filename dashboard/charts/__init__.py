"""Vega-Lite specs (plain dicts) built from model frames: overview, compare, explore, tile map.

May import model and i18n; imported by reports, ui and views. No Streamlit, no DuckDB.
"""
