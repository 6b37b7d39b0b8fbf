"""One headless Chromium for all the web pages' tests, driven by playwright.

Chromium is Debian's package (`apt-get install chromium`); playwright only drives
it (`executable_path`) and never downloads a browser. Without either, the tests
are skipped with the reason, which `make test` prints in its summary; `.ci/run`
sets REPLICATE_EXT_BROWSER_TESTS=required, which turns the skip into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from replicate_ext.testing import LocalServer

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

CHROMIUM = os.environ.get("REPLICATE_EXT_CHROMIUM", "/usr/bin/chromium")
# As root (CI, containers) Chromium needs --no-sandbox; the rest keeps it from
# reaching for the network on its own (updates, sync, QUIC probes).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


_skipped: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say once, at the end, that the browser tests did not run and why."""
    if _skipped:
        terminalreporter.write_sep("-", "web pages not tested in a browser", yellow=True)
        terminalreporter.write_line(f"{_skipped[0]}; CI runs them (.ci/run installs Chromium)")


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[dev]')"
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"no Chromium at {CHROMIUM} (apt-get install chromium, or set REPLICATE_EXT_CHROMIUM)"
        )
    return None


# Package scope: one browser for every test under tests/web, closed when they are done.
# Playwright's sync API keeps an event loop running in this thread while it is open,
# and the async tests that run after these need the thread to themselves.
@pytest.fixture(scope="package")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """A Chromium with a new, empty profile, shared by the web tests."""
    reason = _missing()
    if reason is not None:
        if os.environ.get("REPLICATE_EXT_BROWSER_TESTS") == "required":
            pytest.fail(f"the web pages' browser tests must run here, but {reason}")
        _skipped.append(reason)
        pytest.skip(f"web pages' browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    profile: Path = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1100, "height": 900},
        )
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: BrowserContext, server: LocalServer) -> Iterator[Page]:
    """A new tab; every request it makes is kept in ``page.requests_made``."""
    tab = browser.new_page()
    made: list[str] = []
    tab.on("request", lambda request: made.append(request.url))
    tab.requests_made = made  # type: ignore[attr-defined]
    try:
        yield tab
    finally:
        tab.close()
