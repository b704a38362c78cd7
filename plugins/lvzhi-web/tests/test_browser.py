"""The acceptance run in a real headless browser (Debian's chromium and chromedriver): a
taker scans a zone with scanner input (one deputy twice, one from another zone, one on
leave), goes offline, scans three more, comes back; the live hall then shows exactly the
statuses the library computes and the database holds each scan once.  Screenshots of the
station and the live hall are saved as artifacts: in ``$LVZHI_WEB_SCREENSHOTS`` when set,
else in the test's temporary directory (``screens/``), which pytest keeps."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ORGANISER, Course, Server
from lvzhi_web.model import DISPLAY, zone_deputies
from lvzhi_web.signing import Signer

import lvzhi
from lvzhi.samples.demo_seating import HALL_ID, ZONE_NAMES

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.browser


def _have_browser() -> bool:
    return all(os.access(p, os.X_OK) for p in (CHROMEDRIVER, CHROMIUM))


@pytest.fixture
def driver() -> Iterator[Any]:
    if not _have_browser():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium and chromium-driver must be installed on CI")
        pytest.skip("chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as ChromeService

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=480,1000",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=ChromeService(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


def _wait(what: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = what()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def _screens(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LVZHI_WEB_SCREENSHOTS") or tmp_path / "screens")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_station_offline_queue_and_live_hall(
    driver: Any,
    server: Server,
    signer: Signer,
    course: Course,
    office: lvzhi.Secretariat,
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    zone = zone_deputies(office, HALL_ID, ZONE_NAMES[0])
    assert zone[3].certificate_no == course.on_leave
    stranger = zone_deputies(office, HALL_ID, ZONE_NAMES[1])[0]
    token = signer.sign("station", course.passes[ZONE_NAMES[0]])
    driver.get(f"{server.url}/station/{token}")
    field = driver.find_element(By.ID, "code")
    logged = 0

    def scan(cert: str) -> str:
        """Scanner input: the code's keys, then Enter; returns the flags shown."""
        nonlocal logged
        field.send_keys(cert + Keys.ENTER)
        logged += 1
        _wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#log li")) == logged)
        result = driver.find_element(By.ID, "result")
        assert "error" not in (result.get_attribute("class") or "")
        return str(driver.find_element(By.ID, "r-flags").text)

    for deputy in (zone[0], zone[1], zone[2], zone[4]):
        assert scan(deputy.certificate_no) == ""
        assert driver.find_element(By.ID, "r-name").text == deputy.name
        assert driver.find_element(By.ID, "r-seat").text == f"座位 {deputy.seat}"
    assert "已签到" in scan(zone[0].certificate_no)
    assert "非本区签到" in scan(stranger.certificate_no)
    assert driver.find_element(By.ID, "r-name").text == stranger.name
    assert "请假" in scan(course.on_leave)
    screens = _screens(tmp_path)
    driver.save_screenshot(str(screens / "web-station.png"))

    driver.set_network_conditions(
        offline=True, latency=0, download_throughput=-1, upload_throughput=-1
    )
    offline = [zone[5], zone[6], zone[7]]
    for deputy in offline:
        field.send_keys(deputy.certificate_no + Keys.ENTER)
        time.sleep(0.1)
    _wait(lambda: driver.find_element(By.TAG_NAME, "body").get_attribute("data-pending") == "3")
    assert driver.find_element(By.ID, "net").text == "离线"
    stored = {s.certificate_no for s in office.attendance.scans(session_id=course.session_id)}
    assert not stored & {d.certificate_no for d in offline}

    driver.delete_network_conditions()
    _wait(lambda: driver.find_element(By.TAG_NAME, "body").get_attribute("data-pending") == "0")
    marked = {
        li.get_attribute("data-cert")
        for li in driver.find_elements(By.CSS_SELECTOR, "#deputies li.in")
    }
    assert {d.certificate_no for d in offline} <= marked

    scans = office.attendance.scans(session_id=course.session_id)
    assert len(scans) == 10 == len({s.id for s in scans})
    assert {s.zone for s in scans} == {ZONE_NAMES[0]}

    # The live hall, as the organiser sees it.
    driver.set_window_size(1400, 1100)
    driver.get(f"{server.url}/login/{signer.sign('official', ORGANISER)}")
    driver.get(f"{server.url}/hall/{course.session_id}")
    _wait(lambda: int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-loaded") or 0))
    expected = {
        s.certificate_no: DISPLAY.get(s.code, s.code)
        for s in office.attendance.evaluate(course.session_id)
    }
    shown = driver.execute_script(
        "var out = {};"
        "document.querySelectorAll('#chart g.seat[data-cert]').forEach(function (g) {"
        "  var c = g.getAttribute('data-cert'); if (c) out[c] = g.getAttribute('data-status');"
        "}); return out;"
    )
    assert shown == {cert: expected[cert] for cert in shown}
    assert len(shown) >= 300
    inside = {s.certificate_no for s in scans}
    assert all(shown[c] in ("in", "late") for c in inside if c != course.on_leave)
    assert shown[course.on_leave] == "leave"
    missing = driver.find_elements(By.CSS_SELECTOR, "#missing tbody tr")
    assert len(missing) == list(expected.values()).count("missing")
    driver.save_screenshot(str(screens / "web-hall.png"))
