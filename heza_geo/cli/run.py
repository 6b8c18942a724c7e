"""``python -m heza_geo run``: serve the app with Streamlit's server, through the guard.

:func:`streamlit_command` is the one command line that starts the app; ``run``, ``serve``
(:mod:`heza_geo.cli.serve`) and the browser tests all use it, so each serves the app the same way:
``streamlit run heza_geo/ui/asgi.py`` (the ASGI ``st.App`` with :class:`heza_geo.ui.guard.Guard`),
headless, with Streamlit's own upload cap at ``max_upload_mb``.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from heza_geo.config import REPO_ROOT, Settings, load_settings

#: the script ``streamlit run`` serves: it builds the guarded ASGI app (read by Streamlit, not imported here)
ASGI_SCRIPT = Path(__file__).resolve().parent.parent / "ui" / "asgi.py"


def streamlit_command(port: int, address: str | None = "127.0.0.1", settings: Settings | None = None,
                      python: str = sys.executable, extra: Sequence[str] = ()) -> list[str]:
    """The command that serves the app on ``address:port`` (None: every interface) through
    :mod:`heza_geo.ui.asgi`, with Streamlit's own upload cap at ``max_upload_mb``."""
    settings = settings or load_settings()
    return [python, "-m", "streamlit", "run", str(ASGI_SCRIPT), "--server.headless", "true",
            *(["--server.address", address] if address else []), "--server.port", str(port),
            "--server.maxUploadSize", str(max(1, math.ceil(settings.max_upload_mb))),
            "--browser.gatherUsageStats", "false", *extra]


def add_arguments(parser: Any) -> None:
    parser.add_argument("--port", type=int, default=8501, help="the port visitors open (default 8501)")
    parser.add_argument("--address", default=None,
                        help="the address to listen on (default: every interface, so that phones on the "
                             "event's network reach it; 127.0.0.1 for this machine only)")


def run(args: Any) -> int:
    """Serve the app in this process (replaces it with Streamlit's server; Ctrl+C stops it)."""
    command = streamlit_command(args.port, args.address)
    os.chdir(REPO_ROOT)  # .streamlit/config.toml and static/ are read from here
    os.execv(command[0], command)  # noqa: S606 - our own command line (streamlit_command), no shell
    return 0  # not reached
