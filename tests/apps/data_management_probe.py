"""The staff page under AppTest (the repository root on the path, as ``streamlit run app.py`` has it)."""

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
runpy.run_path(str(ROOT / "pages" / "data_management.py"), run_name="__main__")
