"""A page object over the Authenticator's public test hooks (PROTOCOL.md, "Test hooks").

Only ``data-testid`` hooks and ``data-screen`` are used, so the same steps
would drive any renderer that honours the contract. Field and submit hooks
repeat per action, so every lookup is scoped through the action's wrapper.
"""

from __future__ import annotations

from accessibility import assert_accessible
from browser_harness import PASSWORD, Outbox
from playwright.sync_api import Locator, Page, expect

TIMEOUT = 15_000

# Screen states axe-core has checked in this run: (screen, error shown, width), each in both colour
# schemes. Each new one met by expect_screen is checked once; the named screenshots are checked always.
_CHECKED: set[tuple[str, bool, int]] = set()


class AuthUI:
    """Drive one Authenticator on ``page`` (``root`` picks one when a page has several)."""

    def __init__(self, page: Page, root: Locator | None = None) -> None:
        self.page = page
        self.root = root if root is not None else page.get_by_test_id("authenticator").first

    # ------------------------------------------------------------------ lookups

    def hook(self, name: str) -> Locator:
        return self.root.get_by_test_id(name)

    def action(self, name: str) -> Locator:
        return self.hook(f"authenticator-action-{name}").first

    def field(self, action: str, name: str) -> Locator:
        return self.action(action).get_by_test_id(f"authenticator-{name}")

    def submit_button(self, action: str) -> Locator:
        return self.action(action).get_by_test_id("authenticator-submit")

    @property
    def error(self) -> Locator:
        return self.hook("authenticator-error")

    # ---------------------------------------------------------------- waiting

    def expect_screen(self, name: str, timeout: int = TIMEOUT) -> None:
        expect(self.root).to_have_attribute("data-screen", name, timeout=timeout)
        self.check_accessible(name)

    def check_accessible(self, name: str) -> None:
        """axe-core on this screen state (light and dark), unless the run has checked the same state already."""
        key = (name, self.error.count() > 0, (self.page.viewport_size or {"width": 0})["width"])
        if key in _CHECKED:
            return
        _CHECKED.add(key)
        state = f"screen-{name}{'-error' if key[1] else ''}{'' if key[2] >= 600 else '-phone'}"
        assert_accessible(self.page, state)

    def screen(self) -> str:
        return self.root.get_attribute("data-screen") or ""

    def expect_signed_in(self, username: str) -> None:
        expect(self.hook("authenticator-signed-in")).to_contain_text(
            f"Signed in as: {username}", timeout=TIMEOUT
        )

    # ---------------------------------------------------------------- actions

    def open(self, path: str = "/") -> None:
        self.page.goto(path)
        expect(self.root).to_be_visible(timeout=TIMEOUT)
        expect(self.root).not_to_have_attribute("data-screen", "loading", timeout=TIMEOUT)

    def fill(self, action: str, **values: str) -> None:
        for name, value in values.items():
            self.field(action, name).fill(value)

    def submit(self, action: str) -> None:
        button = self.submit_button(action)
        expect(button).to_be_enabled(timeout=TIMEOUT)
        button.click()

    def tab(self, name: str) -> None:
        self.hook(f"authenticator-tab-{name}").click()

    def link(self, name: str) -> None:
        self.hook(f"authenticator-link-{name}").first.click()

    def choose(self, field: str, value: str) -> None:
        self.hook(f"authenticator-{field}-{value}").click()

    # ------------------------------------------------------------------ flows

    def sign_up(self, username: str, password: str = PASSWORD, email: str | None = None) -> None:
        if self.screen() != "sign_up":
            self.tab("signUp")
            self.expect_screen("sign_up")
        values = {"username": username, "password": password, "confirmPassword": password}
        if email is not None:
            values["email"] = email
        self.fill("signUp", **values)
        self.submit("signUp")
        self.expect_screen("confirm_sign_up")

    def confirm_sign_up(self, outbox: Outbox, to: str, *, after: int = 0) -> None:
        code = outbox.wait_code(to, purpose="sign-up", after=after)
        self.fill("confirmSignUp", code=code)
        self.submit("confirmSignUp")

    def register(self, outbox: Outbox, username: str, password: str = PASSWORD) -> None:
        """Sign up and confirm a fresh account without MFA; ends signed in."""
        before = outbox.count()
        self.sign_up(username, password)
        self.confirm_sign_up(outbox, username, after=before)
        self.expect_signed_in(username)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        if self.screen() != "sign_in":
            self.tab("signIn")
            self.expect_screen("sign_in")
        self.fill("signIn", username=username, password=password)
        self.submit("signIn")

    def sign_out(self) -> None:
        self.submit("signOut")
        self.expect_screen("sign_in")
