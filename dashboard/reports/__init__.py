"""Offline outputs from the model and charts: slides, HTML, PDF, PNG, tables (CSV/Parquet).

May import charts, model, i18n and data (assemble reads the warehouse); no Streamlit, so
`hyte export` runs them directly. Imported by ui and views.
"""
