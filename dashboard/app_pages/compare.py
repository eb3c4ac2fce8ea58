"""Placeholder: built in its own issue."""

import streamlit as st

st.title("Vertaile kuntia")
st.info("Tulossa.")
