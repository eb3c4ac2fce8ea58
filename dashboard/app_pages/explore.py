"""Placeholder: built in its own issue."""

import streamlit as st

st.title("Indikaattorit")
st.info("Tulossa.")
