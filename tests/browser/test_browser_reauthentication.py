"""Re-authentication by an emailed code, in Chromium (issue 11, finding 1).

A person whose sign-in is old turns MFA off: the page asks them to confirm it
is them, they pick "Email code", type the code that arrived, and the change
they asked for goes through without being asked again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from auth_driver import AuthUI
from browser_harness import Serve, start_serve, unique
from playwright.sync_api import Page, expect


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    serve = start_serve(tmp_path_factory.mktemp("reauth"), "--sign-in-with", "username", "--mfa", "optional")
    yield serve
    serve.process.stop()


def _age_sign_in(server: Serve, seconds: float) -> None:
    """Make every session's last proof of identity ``seconds`` older (no waiting for the window)."""
    with sqlite3.connect(server.db) as db:
        db.execute("UPDATE web_sessions SET authenticated_at = authenticated_at - ?", (seconds,))


@pytest.mark.slow
def test_finding_1_old_sign_in_confirms_by_email_code_then_the_change_happens(
    page: Page, server: Serve
) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("reauth")
    email = f"{name}@example.com"
    auth.register(server.outbox, name)
    before = server.outbox.count()
    auth.fill("startEmailMfaSetup", email=email)
    auth.submit("startEmailMfaSetup")
    auth.fill("completeEmailMfaSetup", code=server.outbox.wait_code(email, purpose="mfa-setup", after=before))
    auth.submit("completeEmailMfaSetup")
    auth.expect_screen("signed_in")

    _age_sign_in(server, 3600)
    auth.submit("disableMfa")
    page.get_by_test_id("authenticator-confirm-yes").click()
    auth.expect_screen("confirm_identity")
    expect(auth.error).to_contain_text("confirm it's you")
    auth.check_accessible("confirm_identity")

    before = server.outbox.count()
    auth.choose("method", "EMAIL_OTP")
    auth.submit("chooseReauthenticationMethod")
    expect(auth.field("reauthenticate", "code")).to_be_visible()
    code = server.outbox.wait_code(email, purpose="reauthentication", after=before)
    auth.fill("reauthenticate", code=code)
    auth.submit("reauthenticate")

    auth.expect_screen("signed_in")
    expect(auth.hook("authenticator-notice")).to_contain_text("Multi-factor authentication is turned off")
    expect(auth.action("startEmailMfaSetup")).to_be_visible()  # MFA is off: email codes can be set up again
