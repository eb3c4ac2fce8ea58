"""Placeholder: built in its own issue."""

import streamlit as st

st.title("Esitystila")
st.info("Tulossa.")
