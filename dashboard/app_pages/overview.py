"""Placeholder until the group overview lands."""
import streamlit as st

st.title("Ryhmän tilannekuva")
