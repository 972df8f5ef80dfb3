"""One line saying what a bench ran on, for the README's Performance table."""

from __future__ import annotations

import os
import platform
from importlib.metadata import version
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def describe_host() -> str:
    """``2 cores (AMD EPYC), load 9.6, Linux, Python 3.11.7, NiceGUI 3.18.0``."""
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{os.cpu_count()} cores ({cpu_model()}){load}, {platform.system()}, "
        f"Python {platform.python_version()}, NiceGUI {version('nicegui')}"
    )
