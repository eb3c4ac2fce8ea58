"""Pure logic: statistics, the group situation, comparisons, the explorer, briefings, sentences.

No Streamlit, no charts, no files, no DuckDB. May import dashboard.i18n only; everything
above (charts, reports, ui, views) may import it.
"""
