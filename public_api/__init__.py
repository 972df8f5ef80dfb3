"""nicegui-authenticator: a complete sign-in experience for NiceGUI apps.

The repository's top-level folders (``state_machine``, ``client``, ``backend``,
``ui``) are installed as subpackages of this one import name. This module is the
public surface; everything not re-exported here is internal.
"""

from __future__ import annotations

__version__ = "0.1.0"
