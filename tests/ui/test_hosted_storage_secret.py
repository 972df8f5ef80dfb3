"""The storage secret survives restarts and never leaks to other users of the machine."""

from __future__ import annotations

import stat
from pathlib import Path

from nicegui_authenticator.ui.hosted.storage_secret import ENV_VAR, FILE_NAME, load_storage_secret


def test_generated_once_then_reused_with_owner_only_permissions(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    first = load_storage_secret(directory, environ={})
    second = load_storage_secret(directory, environ={})
    assert first == second
    assert len(first) >= 32
    mode = stat.S_IMODE((directory / FILE_NAME).stat().st_mode)
    assert mode == 0o600


def test_the_environment_wins_and_writes_nothing(tmp_path: Path) -> None:
    assert load_storage_secret(tmp_path, environ={ENV_VAR: " from-env "}) == "from-env"
    assert not (tmp_path / FILE_NAME).exists()


def test_an_empty_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text("")
    secret = load_storage_secret(tmp_path, environ={})
    assert secret
    assert (tmp_path / FILE_NAME).read_text().strip() == secret
    assert stat.S_IMODE((tmp_path / FILE_NAME).stat().st_mode) == 0o600
