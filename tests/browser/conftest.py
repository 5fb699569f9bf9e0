"""Browser tests: the real `normgraph serve` (gunicorn) on loopback, a release built
for that address with the web fixtures applied through the update path, and Debian's
Chromium driven by Playwright. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from ..conftest import served, wait_ready, web_fixture_update

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "browser-tests"
expect.set_options(timeout=20_000)  # a busy 2-core machine runs the model slowly


# module scope: the port goes back to the next module's server (tests/conftest.py served)
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """{"base": "http://127.0.0.1:PORT/"}: a served release with the web fixtures."""
    # the update re-indexes: slow on a busy machine, hence the long time limit
    root = tmp_path_factory.mktemp("site")
    with served(root, UPDATE_TOKEN=TOKEN, QUERY_TIMEOUT="240") as server:
        base, process = server["base"], server["process"]
        update = requests.post(
            base + "sparql",
            data=web_fixture_update(base).encode(),
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
            },
            timeout=120,
        )
        assert update.status_code == 200, update.text
        wait_ready(base, process, release=server["release"])
        # every worker moves to the new release and loads the model before the first test
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(_warm, [base] * 4))
        yield {"base": base}


def _warm(base: str) -> None:
    requests.get(base + "api/search", params={"q": "warm up"}, timeout=120)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site):
    """A fresh page (JavaScript on) whose relative URLs go to the test server; the
    test fails on any request to another host or any JavaScript error."""
    context = browser.new_context(base_url=site["base"], viewport={"width": 1280, "height": 900})
    outside, errors = [], []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(site["base"])
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not outside, f"requests to other hosts: {outside}"
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make vendor` (npm ci) installs axe-core")
    return AXE.read_text(encoding="utf-8")
