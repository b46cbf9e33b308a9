"""Playwright (sync API) driving Debian's Chromium against a real `lessonstudy serve`.

Every test here is marked `browser` (select them with `-m browser`, leave them out
with `-m "not browser"`) and bounded in time: pytest-timeout per test, and
Playwright's own timeout per action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from support.live_server import LiveServer, live_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--disable-gpu",
]
ACTION_TIMEOUT_MS = 10_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(180))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    if report.when == "call":  # type: ignore[attr-defined]
        item.stash[FAILED] = report.failed  # type: ignore[attr-defined]
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the session: tests use their own accounts and teams."""
    with live_server(tmp_path_factory.mktemp("browser-server")) as running:
        yield running


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (scripts/test does)")
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


class Watched:
    """A page's problems: script errors and dialogs (which user text must never open)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def watch(self, page: Page) -> Page:
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)
        return page

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]


@pytest.fixture
def watched() -> Watched:
    return Watched()


@pytest.fixture
def new_page(
    browser: Browser, watched: Watched, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """Pages in fresh contexts (a context is one person's browser: its own cookies).

    When the test fails, each page's screenshot is left in test-artifacts/failures/.
    """
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def make(width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        pages.append(watched.watch(context.new_page()))
        return pages[-1]

    yield make
    if request.node.stash.get(FAILED, False):
        folder = ARTIFACTS / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(pages, 1):
            page.screenshot(path=str(folder / f"{request.node.name}-{number}.png"), full_page=True)
    for context in contexts:
        context.close()
    assert watched.errors == [], f"script errors on the page: {watched.errors}"
