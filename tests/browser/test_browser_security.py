"""The hosted page under its own Content-Security-Policy, and changing a password, in Chromium.

Issue 11, findings 7 and 8. Every ``securitypolicyviolation`` event and every
console error is recorded from before the first script runs, across a
sign-up, sign-out and sign-in: the policy must be strict *and* let NiceGUI work.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from auth_driver import AuthUI
from browser_harness import PASSWORD, Serve, start_serve, unique
from playwright.sync_api import ConsoleMessage, Page, expect

_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline') + ' '
    + (event.sourceFile || '') + ':' + event.lineNumber + ' ' + (event.sample || ''));
});
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    serve = start_serve(tmp_path_factory.mktemp("security"), "--sign-in-with", "username")
    yield serve
    serve.process.stop()


def _violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.__cspViolations || []")
    return found


def test_finding_7_page_works_under_its_csp_with_no_violations(page: Page, server: Serve) -> None:
    console_errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    page.on("console", record)
    page.add_init_script(_RECORD_VIOLATIONS)
    response = page.goto("/")
    assert response is not None
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]

    auth = AuthUI(page)
    auth.open()
    name = unique("csp")
    auth.register(server.outbox, name)
    auth.sign_out()
    auth.sign_in(name)
    auth.expect_signed_in(name)
    page.reload()
    auth.expect_signed_in(name)

    assert _violations(page) == []
    assert [text for text in console_errors if "Content Security Policy" in text or "CSP" in text] == []
    assert console_errors == []


def test_finding_8_signed_in_person_can_change_password(page: Page, server: Serve) -> None:
    auth = AuthUI(page)
    auth.open()
    name = unique("changer")
    auth.register(server.outbox, name)
    new_password = "Brand-new-Passw0rd"

    auth.fill("changePassword", currentPassword="not-my-password", newPassword=new_password)
    auth.submit("changePassword")
    auth.expect_screen("signed_in")
    expect(auth.error).to_be_visible()

    auth.fill("changePassword", currentPassword=PASSWORD, newPassword=new_password)
    auth.submit("changePassword")
    expect(auth.hook("authenticator-notice")).to_contain_text("Your password was changed")
    expect(auth.error).not_to_be_visible()
    expect(auth.hook("authenticator-subform-changePassword")).to_contain_text("Current password")
    auth.sign_out()

    auth.sign_in(name, PASSWORD)
    expect(auth.error).to_be_visible()
    auth.sign_in(name, new_password)
    auth.expect_signed_in(name)
