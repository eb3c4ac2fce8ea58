"""The baseline page of `python -m benchmarks.load --views`: five lines of st.write."""
import streamlit as st

st.title("HYTE")
st.write("Vertailusivu: mitä pelkkä Streamlit-sivu maksaa palvelimelle.")
st.write(1 + 1)
