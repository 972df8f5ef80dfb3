"""A pytest plugin for testing an app's auth flows without a browser (opt-in).

Enable it with ``-p nicegui_authenticator.testing`` (or ``pytest_plugins =
["nicegui_authenticator.testing"]`` in a conftest), as NiceGUI's own
``nicegui.testing.user_plugin``. It needs ``pytest-asyncio``; ``signed_in_user``
also needs NiceGUI's user plugin (``-p nicegui.testing.user_plugin``).

Fixtures, each fresh per test:

* ``auth_backend``: the reference backend, in-process, on a database in
  ``tmp_path``. Options come from the marker
  ``@pytest.mark.auth_backend(mode="cognito", mfa="required", ...)`` (any
  :class:`~nicegui_authenticator.BackendSettings` field). Passwords are hashed
  cheaply unless the marker sets ``password_hash_cost``: these are tests.
* ``auth_client``: an :class:`~nicegui_authenticator.AuthClient` that reaches it
  through ``httpx.ASGITransport`` (no socket); give it to your pages.
* ``headless``: a :class:`~nicegui_authenticator.HeadlessAuthenticator` on it.
* ``auth_outbox``: the codes the backend "sent"; ``auth_outbox.latest("alice")``,
  or ``code=auth_outbox.code_for("alice")`` for the headless helpers.
* ``signed_in_user``: NiceGUI's ``User``, already signed in as
  ``auth_outbox``'s ``SIGNED_IN_USERNAME`` through a real ``Authenticator``,
  so your pages built on ``auth_client`` see a signed-in person.
"""

from __future__ import annotations

from .plugin import (
    SIGNED_IN_PASSWORD,
    SIGNED_IN_USERNAME,
    AuthOutbox,
    auth_backend,
    auth_client,
    auth_outbox,
    headless,
    pytest_configure,
    signed_in_user,
)

__all__ = [
    "SIGNED_IN_PASSWORD",
    "SIGNED_IN_USERNAME",
    "AuthOutbox",
    "auth_backend",
    "auth_client",
    "auth_outbox",
    "headless",
    "pytest_configure",
    "signed_in_user",
]
