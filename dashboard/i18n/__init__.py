"""Message catalogues (fi, sv, en) and locale-aware number and date formatting.

The bottom layer beside dashboard.data: imports nothing of the dashboard.
"""
