"""Fixtures of the Playwright suite: Debian's Chromium, one context per test.

Every test here is marked ``browser``. Playwright's sync API is used (browser
tests read top to bottom like the steps a person takes); it runs its own event
loop, so the browser lives per module and is closed before any asyncio test of
another module runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_harness import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, ContextFactory, safe_name
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (make chromium, or "
            "apt-get install chromium fonts-dejavu-core), or deselect with -m 'not browser'",
            pytrace=False,
        )
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[ContextFactory]:
    """Make browser contexts (separate cookie jars: separate people); closed after the test.

    When the test fails, every open page is saved to test-artifacts/failures/.
    """
    contexts: list[BrowserContext] = []

    def make(base_url: str | None = None, **options: object) -> BrowserContext:
        options = {"viewport": {"width": 1000, "height": 820}, "locale": "en-US", **options}
        context = browser.new_context(base_url=base_url, **options)  # type: ignore[arg-type]
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        failures = ARTIFACTS / "failures"
        failures.mkdir(parents=True, exist_ok=True)
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                name = f"{safe_name(request.node.name)}-{n}-{m}.png"
                try:
                    page.screenshot(path=str(failures / name), full_page=True)
                except Exception as error:  # a closed page must not hide the real failure
                    print(f"could not save {name}: {error}")
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context: ContextFactory, request: pytest.FixtureRequest) -> BrowserContext:
    """A context on the module's ``server`` fixture (its base_url)."""
    server = request.getfixturevalue("server")
    return new_context(server.base_url)


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
