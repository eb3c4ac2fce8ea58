"""Streamlit glue: cached warehouse reads and compositions, URL state, downloads, the frame.

May import everything below it (reports, charts, model, i18n, data); imported only by
app.py and the views.
"""
