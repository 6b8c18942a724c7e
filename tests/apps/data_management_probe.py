"""The staff page under AppTest, run as ``app.py``'s navigation runs it (heza_geo is installed)."""

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
runpy.run_path(str(ROOT / "pages" / "data_management.py"), run_name="__main__")
