"""The hosted login page (what ``serve`` mounts at ``/``) in NiceGUI's User simulation."""

from __future__ import annotations

from pathlib import Path

from nicegui import ui
from nicegui.testing import User
from nicegui_authenticator.ui.hosted.config import HostedConfig
from nicegui_authenticator.ui.hosted.pages import add_hosted_pages
from nicegui_authenticator.ui.hosted.redirects import RedirectPolicy
from test_account_menu_support import account, has_marker, in_process_client, reference_backend, sign_in


async def test_development_mode_shows_a_banner_linking_the_outbox(user: User, tmp_path: Path) -> None:
    client = in_process_client(reference_backend(tmp_path))
    add_hosted_pages(client, HostedConfig(title="Acme", dev_outbox="/dev/outbox"))

    await user.open("/")
    await user.should_see(marker="hosted-dev-banner")
    (banner,) = user.find(marker="hosted-dev-banner").elements
    assert isinstance(banner, ui.html)
    assert 'href="/dev/outbox"' in banner.content and 'data-testid="hosted-dev-outbox-link"' in banner.content
    await user.should_see("Acme")
    await user.should_see(marker="authenticator-action-signIn")


async def test_without_development_mode_there_is_no_banner(user: User, tmp_path: Path) -> None:
    client = in_process_client(reference_backend(tmp_path))
    add_hosted_pages(client, HostedConfig())

    await user.open("/")
    await user.should_see(marker="authenticator-action-signIn")
    assert not has_marker(user, "hosted-dev-banner")


async def test_signed_in_without_redirect_shows_account_management(user: User, tmp_path: Path) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "hosted-alice")
    add_hosted_pages(in_process_client(backend), HostedConfig())

    await user.open("/?redirect=https://evil.example/")
    await sign_in(user, name)
    await user.should_see(f"Signed in as: {name}")
    await user.should_see(marker="authenticator-action-signOut")
    assert user.back_history[-1].startswith("/?redirect=")


async def test_an_allowed_host_is_followed_after_sign_in(user: User, tmp_path: Path) -> None:
    backend = reference_backend(tmp_path)
    name = account(backend, "hosted-bob")
    add_hosted_pages(
        in_process_client(backend), HostedConfig(redirect_policy=RedirectPolicy.allowing(["test"]))
    )

    @ui.page("/after")
    def after() -> None:
        ui.label("arrived")

    # The simulated browser's host is "test": an absolute URL to it is on the allow-list.
    await user.open("/?redirect=http://test/after")
    await sign_in(user, name)
    await user.should_see("arrived", retries=100)


async def test_the_first_screen_is_in_the_first_html(user: User, tmp_path: Path) -> None:
    """Issue 15: the sign-in form arrives with the page, not over the websocket after hydration."""
    add_hosted_pages(in_process_client(reference_backend(tmp_path)), HostedConfig())

    response = await user.http_client.get("/")
    assert '"data-screen":"sign_in"' in response.text
    assert '"data-screen":"loading"' not in response.text
    assert '"data-testid":"authenticator-username"' in response.text


async def test_no_icon_on_the_first_screen_needs_the_icon_font(user: User, tmp_path: Path) -> None:
    """Issue 15: one font glyph makes the browser fetch the whole icon font (~129 KB).

    The sign-in card and the language switcher main added draw their icons as
    inline SVG (``"<path>|<viewBox>"``), which Quasar renders without the font.
    """
    add_hosted_pages(in_process_client(reference_backend(tmp_path)), HostedConfig())

    await user.open("/")
    await user.should_see(marker="language-switcher")
    await user.should_see(marker="authenticator-username")
    icons = [
        (element.tag, prop, element.props[prop])
        for element in user.client.elements.values()
        for prop in ("name", "icon", "dropdown-icon")
        if (element.tag == "q-icon" or prop != "name") and isinstance(element.props.get(prop), str)
    ]
    drawn = {(tag, prop) for tag, prop, _ in icons}
    assert {("nicegui-select", "dropdown-icon"), ("q-icon", "name")} <= drawn  # the switcher and the eye
    assert [(tag, name) for tag, _, name in icons if "|" not in name] == []
