"""A live registry site on a free port, headless Chromium driving it, axe-core and screenshots."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from registry.app import create_app
from registry.context import Registry
from tests.browser.sample_works import Sample, load_sample

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
WINDOW = (1280, 900)
MAX_SHOT_HEIGHT = 5000
_SHOTS: list[Path] = []


def _browser_paths() -> tuple[str, str]:
    """Return the Chromium and chromedriver executables, failing when either is missing."""
    chromium = os.environ.get("REGISTRY_CHROMIUM") or shutil.which("chromium")
    driver = os.environ.get("REGISTRY_CHROMEDRIVER") or shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail(
            "headless Chromium is required for the browser tests: "
            "apt-get install -y chromium chromium-driver"
        )
    return chromium, driver


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder where every page's screenshot is kept."""
    folder = tmp_path_factory.mktemp("web-screenshots")
    _SHOTS.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    """Print where the screenshots are."""
    for folder in _SHOTS:
        terminalreporter.write_line(f"web page screenshots: {folder}")


@pytest.fixture(scope="session")
def chrome() -> Iterator[object]:
    """Start one headless Chromium for the session."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = _browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--lang=en-US",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@dataclass
class LiveSite:
    """A registry served over HTTP on 127.0.0.1, with the sample's ids."""

    url: str
    registry: Registry
    sample: Sample


@contextmanager
def serving(registry: Registry) -> Iterator[str]:
    """Serve the registry's app on a free port of 127.0.0.1 in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, create_app(registry=registry), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def live_site(search_registry: Registry, chrome) -> Iterator[LiveSite]:  # noqa: ANN001
    """Serve the sample catalogue; start each test signed out, in the browser's language."""
    sample = load_sample(search_registry)
    chrome.execute_cdp_cmd("Network.clearBrowserCookies", {})
    with serving(search_registry) as url:
        yield LiveSite(url, search_registry, sample)
        chrome.get("about:blank")


def check_page(driver, screenshot_dir: Path, name: str) -> list[dict]:  # noqa: ANN001
    """Save a full-page screenshot and return axe-core's serious and critical violations."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WINDOW[0], min(max(height, WINDOW[1]), MAX_SHOT_HEIGHT))
    driver.save_screenshot(str(screenshot_dir / f"{name}.png"))
    driver.set_window_size(*WINDOW)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: 'critical',"
        " help: String(e), nodes: []}]));"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"])}
        for v in result
        if v.get("impact") in BLOCKING_IMPACTS
    ]
