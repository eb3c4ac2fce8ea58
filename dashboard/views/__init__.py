"""The pages, render only: read widgets and URL state, call one composition, draw it.

Run by app.py through st.navigation; they import ui (and below), never each other.
"""
