"""When the backend misbehaves: it goes away mid-flow, or it sends hostile text.

``serve --endpoint`` here drives a separate server: the reference backend as
its own process (so it can be killed and restarted under the page), or a fake
setAuthState endpoint in this test process whose every string is an XSS
attempt.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from auth_driver import TIMEOUT, AuthUI
from browser_harness import ContextFactory, Outbox, Process, free_port, screenshot, start_backend, start_serve
from playwright.sync_api import Page, expect
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

HOSTILE = "<img src=x onerror=window.__pwned=1>"
HOSTILE_SCRIPT = "<script>window.__pwned=2</script>"


# ------------------------------------------------------------------- backend that goes away


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Process, Outbox]]:
    process, outbox = start_backend(
        tmp_path_factory.mktemp("backend"), "--mfa", "off", "--sign-in-with", "username"
    )
    yield process, outbox
    process.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, backend: tuple[Process, Outbox]) -> Iterator[Any]:
    process, _ = backend
    endpoint = f"http://127.0.0.1:{process.port}/aws-blocks/api"
    serve = start_serve(
        tmp_path_factory.mktemp("serve-remote"),
        "--endpoint", endpoint,
        "--allow-redirect", f"127.0.0.1:{process.port}",  # the backend's own pages stand in for another app
        embedded=False,
    )  # fmt: skip
    yield serve
    serve.process.stop()


def test_the_backend_stopping_mid_flow_keeps_the_form_and_retry_resumes(
    page: Page, server: Any, backend: tuple[Process, Outbox]
) -> None:
    process, outbox = backend
    auth = AuthUI(page)
    auth.open()
    expect(page.get_by_test_id("hosted-dev-banner")).to_have_count(0)  # a real endpoint: no dev mode
    name = f"steady{time.monotonic_ns() % 10**9}"
    before = outbox.count()
    auth.sign_up(name)
    code = outbox.wait_code(name, purpose="sign-up", after=before)

    process.kill()
    auth.fill("confirmSignUp", code=code)
    auth.submit("confirmSignUp")
    expect(auth.error).to_be_visible(timeout=TIMEOUT)
    expect(auth.error).to_have_attribute("role", "alert")
    auth.expect_screen("confirm_sign_up")
    expect(auth.field("confirmSignUp", "code")).to_have_value(code)  # what was typed is still there
    retry = auth.hook("authenticator-retry")
    expect(retry).to_be_visible()
    screenshot(page, "resilience-backend_down")

    process.start()
    retry.click()
    auth.expect_signed_in(name)
    expect(auth.error).to_have_count(0)


def test_the_backend_down_on_first_load_offers_retry(
    page: Page, server: Any, backend: tuple[Process, Outbox]
) -> None:
    process, _ = backend
    process.kill()
    try:
        page.goto("/")
        auth = AuthUI(page)
        expect(auth.error).to_be_visible(timeout=TIMEOUT)
        expect(auth.hook("authenticator-retry")).to_be_visible()
    finally:
        process.start()
    auth.hook("authenticator-retry").click()
    auth.expect_screen("sign_in")


def test_an_absolute_redirect_is_followed_only_to_an_allowed_host(
    page: Page, server: Any, backend: tuple[Process, Outbox]
) -> None:
    process, outbox = backend
    auth = AuthUI(page)
    auth.open()
    name = f"away{time.monotonic_ns() % 10**9}"
    auth.register(outbox, name)
    auth.sign_out()

    elsewhere = f"http://127.0.0.1:{process.port}/dev/outbox"
    auth.open(f"/?redirect={elsewhere}")
    auth.sign_in(name)
    page.wait_for_url(elsewhere, timeout=TIMEOUT)

    page.goto(f"/?redirect=http://127.0.0.1:{process.port + 1}/")  # same host, another port: not listed
    AuthUI(page).expect_signed_in(name)
    page.wait_for_timeout(300)
    assert page.url.startswith(server.base_url)


# ------------------------------------------------------------------- hostile endpoint


def _hostile_state(error: str | None = None) -> dict[str, Any]:
    state: dict[str, Any] = {
        "state": "signedOut",
        "actions": [
            {
                "name": "signIn",
                "label": HOSTILE,
                "fields": [
                    {"name": "username", "label": HOSTILE, "type": "text", "required": True},
                    {"name": "password", "label": HOSTILE_SCRIPT, "type": "password", "required": True},
                ],
            },
            {"name": "doSomething", "label": HOSTILE_SCRIPT, "fields": []},
        ],
    }
    if error is not None:
        state.update(error=error, errorName=HOSTILE, retriable=False)
    return state


async def _rpc(request: Request) -> JSONResponse:
    body = json.loads(await request.body())
    # Every setAuthState answer carries a hostile error besides the hostile labels.
    setting = not body["method"].endswith("getAuthState")
    result = _hostile_state(error=HOSTILE if setting else None)
    return JSONResponse({"jsonrpc": "2.0", "result": result, "id": body["id"]})


@pytest.fixture(scope="module")
def hostile_endpoint() -> Iterator[str]:
    port = free_port()
    app = Starlette(routes=[Route("/aws-blocks/api", _rpc, methods=["POST"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the fake endpoint did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/aws-blocks/api"
    server.should_exit = True
    thread.join(timeout=10)


def test_hostile_server_text_is_shown_as_text_and_runs_nothing(
    new_context: ContextFactory, hostile_endpoint: str, tmp_path: Path
) -> None:
    serve = start_serve(tmp_path, "--endpoint", hostile_endpoint, embedded=False)
    try:
        page = new_context(serve.base_url).new_page()
        auth = AuthUI(page)
        auth.open()
        expect(auth.root).to_contain_text(HOSTILE)  # the label, literally
        auth.fill("signIn", username="mallory", password="whatever1")
        auth.submit("signIn")
        expect(auth.error).to_contain_text(HOSTILE, timeout=TIMEOUT)
        screenshot(page, "resilience-hostile_labels")
        page.wait_for_timeout(500)  # give a broken image's onerror every chance to fire
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("script", has_text="__pwned").count() == 0
    finally:
        serve.process.stop()
