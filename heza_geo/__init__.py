"""heza-geo: the data layer of HEZA's GIS (no Streamlit here)."""

__version__ = "0.1.0"
