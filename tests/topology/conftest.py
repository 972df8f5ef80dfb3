"""The topology test assembles the helpers of three suites: databases and mail (backend),
Chromium and processes (browser), the shipped nginx site (deploy).

Those helper modules are plain files next to their own tests (no packages), so
their folders are put on the import path here, explicitly.
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
for folder in ("backend", "browser", "deploy"):
    if str(TESTS / folder) not in sys.path:
        sys.path.insert(0, str(TESTS / folder))
