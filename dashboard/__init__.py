"""HYTE tilannekuva's dashboard: one Streamlit app in layers that import one way.

views → ui → reports → charts → model → i18n / data (import-linter holds it; README
"Development" draws it). app.py is the single entry.
"""
