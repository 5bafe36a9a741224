"""Journeys through the site in headless Chromium, with axe-core on every page and screenshots."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from registry.auth.tokens import create_token
from registry.context import Registry
from registry.services import jobs
from tests.browser.conftest import check_page, serving
from tests.browser.sample_works import ACCENTED_TITLE, TEST_DATA, TYPED_TITLE

pytestmark = pytest.mark.es


def wait_for_text(driver, text: str, timeout: float = 15) -> None:  # noqa: ANN001
    """Wait until the page's main content shows the text."""
    WebDriverWait(driver, timeout).until(
        ec.text_to_be_present_in_element((By.TAG_NAME, "main"), text)
    )


def main_text(driver) -> str:  # noqa: ANN001
    """Return the visible text of the main content."""
    return driver.find_element(By.TAG_NAME, "main").text


def test_search_work_availability_then_spanish(live_site, chrome, screenshot_dir):
    chrome.get(live_site.url + "/")
    assert check_page(chrome, screenshot_dir, "01-search-empty") == []
    box = chrome.find_element(By.ID, "q")
    box.send_keys(TYPED_TITLE, Keys.ENTER)
    wait_for_text(chrome, "1 work found")
    assert check_page(chrome, screenshot_dir, "02-search-results") == []

    chrome.find_element(By.LINK_TEXT, ACCENTED_TITLE).click()
    wait_for_text(chrome, "Timeline by territory and medium")
    assert chrome.find_element(By.TAG_NAME, "h1").text.startswith(ACCENTED_TITLE)
    assert "add up to 110%" in main_text(chrome)
    assert check_page(chrome, screenshot_dir, "03-work") == []

    chrome.find_element(By.PARTIAL_LINK_TEXT, "Check where, how and when").click()
    Select(chrome.find_element(By.ID, "territory")).select_by_value("AR")
    Select(chrome.find_element(By.ID, "media")).select_by_value("svod")
    day = chrome.find_element(By.ID, "on")
    chrome.execute_script("arguments[0].value = '2026-07-01'", day)
    day.submit()
    wait_for_text(chrome, "Yes: 2 licences cover Argentina")
    assert "Exclusivity is held by:" in main_text(chrome)
    assert check_page(chrome, screenshot_dir, "04-availability") == []

    chrome.find_element(By.LINK_TEXT, "Español").click()
    wait_for_text(chrome, "Sí: 2 licencias cubren Argentina")
    assert chrome.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    assert "1 jul 2026" in main_text(chrome)
    assert check_page(chrome, screenshot_dir, "05-availability-es") == []

    chrome.find_element(By.PARTIAL_LINK_TEXT, "Volver a").click()
    wait_for_text(chrome, "Línea de tiempo por territorio y medio")  # the language was remembered
    assert check_page(chrome, screenshot_dir, "06-work-es") == []


def test_party_page_from_a_credit(live_site, chrome, screenshot_dir):
    chrome.get(f"{live_site.url}/works/{live_site.sample.work_ids[0]}")
    chrome.find_element(By.LINK_TEXT, "Plataforma Sur SRL").click()
    wait_for_text(chrome, "Rights held")
    assert ACCENTED_TITLE in main_text(chrome)
    assert check_page(chrome, screenshot_dir, "07-party") == []
    chrome.get(live_site.url + "/parties?q=distribuidora")
    wait_for_text(chrome, "1 party found")
    assert check_page(chrome, screenshot_dir, "08-party-search") == []


def test_import_report_and_error_pages(live_site, chrome, screenshot_dir):
    chrome.get(f"{live_site.url}/imports/{live_site.sample.batch_id}")
    wait_for_text(chrome, "Rejected records are shown only to BR-ANCINE")
    assert check_page(chrome, screenshot_dir, "09-import-report") == []
    chrome.get(live_site.url + "/works/999999")
    wait_for_text(chrome, "Nothing in the registry has this number.")
    assert check_page(chrome, screenshot_dir, "10-not-found") == []
    chrome.get(live_site.url + "/search?year_from=abc&lang=pt_BR")
    wait_for_text(chrome, "Digite um ano entre 1870 e 2100.")
    assert check_page(chrome, screenshot_dir, "11-field-error-pt") == []


def test_keyboard_reaches_the_skip_link_with_a_visible_focus(live_site, chrome):
    chrome.get(live_site.url + "/")
    chrome.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = chrome.switch_to.active_element
    assert focused.get_attribute("class") == "skip"
    assert focused.value_of_css_property("outline-style") != "none"
    assert focused.location["x"] >= 0  # shown on screen once focused
    focused.send_keys(Keys.ENTER)
    assert chrome.switch_to.active_element.get_attribute("id") == "main"


def test_sign_in_upload_and_watch_it_finish(live_site, chrome, screenshot_dir):
    with live_site.registry.sessions() as session:
        token = create_token(session, "BR-ANCINE", "submitter", "browser").secret
        session.commit()
    chrome.get(live_site.url + "/upload")
    wait_for_text(chrome, "Agency staff sign in with the token")
    assert check_page(chrome, screenshot_dir, "12-sign-in") == []
    chrome.find_element(By.ID, "token").send_keys(token, Keys.ENTER)
    wait_for_text(chrome, "Files are imported for BR-ANCINE.")
    assert check_page(chrome, screenshot_dir, "13-upload") == []

    chrome.find_element(By.ID, "file").send_keys(str(TEST_DATA / "ancine" / "cpb-2023.csv"))
    chrome.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for_text(chrome, "This import is in progress")
    assert check_page(chrome, screenshot_dir, "14-import-queued") == []

    worker = threading.Thread(target=jobs.run_worker, args=(live_site.registry, True))
    worker.start()
    worker.join(timeout=120)
    wait_for_text(chrome, "This import is complete.", timeout=30)  # the page reloads itself
    assert "cpb-2023.csv" in main_text(chrome)
    assert check_page(chrome, screenshot_dir, "15-import-complete") == []


def test_axe_reports_what_it_should(chrome, screenshot_dir):
    chrome.get("data:text/html,<html><body><img src='x.png'><input type='text'></body></html>")
    found = {v["id"] for v in check_page(chrome, screenshot_dir, "00-axe-probe")}
    assert {"image-alt", "label"} <= found


def test_search_down_says_so(registry, chrome, screenshot_dir):
    dead = Registry(replace(registry.settings, elasticsearch_url="http://127.0.0.1:9"))
    with serving(dead) as url:
        chrome.get(url + "/search?q=whisky")
        wait_for_text(chrome, "The search service cannot be reached right now.")
        assert check_page(chrome, screenshot_dir, "16-search-down") == []
        chrome.get("about:blank")
