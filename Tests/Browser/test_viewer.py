"""The map viewer, driven in a real headless Chromium against a running planatlas server.

The caller starts the server (`planatlas serve`) and sets PLANATLAS_URL (default
http://127.0.0.1:8080). Every expectation about data is checked against the server's own HTTP
API, so the test holds for whatever data the server holds. Screenshots go to build/screenshots/.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE_URL = os.environ.get("PLANATLAS_URL", "http://127.0.0.1:8080").rstrip("/")
SCREENSHOTS = Path(os.environ.get("PLANATLAS_SCREENSHOTS", Path(__file__).resolve().parents[2] / "build" / "screenshots"))
# Waits are for the page to settle, never assertions about speed: generous on a busy CI machine.
SETTLE_SECONDS = float(os.environ.get("PLANATLAS_BROWSER_WAIT", "60"))

MUKDEN_PALACE = (123.4507, 41.7962)
DESKTOP = (1366, 900)
TABLET = (820, 1180)


# ---- server API (the source of truth the page is compared with) ------------------------------

def api(path: str, **params) -> dict:
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    url = f"{BASE_URL}{path}" + (f"?{query}" if query else "")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        try:
            return {"__status": error.code, **json.loads(body)}
        except json.JSONDecodeError:
            return {"__status": error.code, "__body": body}


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    collections = api("/collections")["collections"]
    assert collections, "the server's catalogue lists no collections"
    return collections


def item_count(collection: dict) -> int:
    if "planatlas:itemCount" in collection:
        return collection["planatlas:itemCount"]
    return api(f"/collections/{collection['id']}/items", limit=1)["numberMatched"]


# ---- browser -------------------------------------------------------------------------------

def make_driver(width: int, height: int, language: str = "zh-CN") -> webdriver.Chrome:
    options = Options()
    chromium = os.environ.get("CHROME_BIN") or shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        options.binary_location = chromium
    for arg in ("--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                f"--window-size={width},{height}", f"--lang={language}"):
        options.add_argument(arg)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to run its sandbox as root
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chromedriver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    driver = webdriver.Chrome(options=options, service=Service(chromedriver) if chromedriver else None)
    # Exact viewport (the window size includes browser chrome); tablets get touch.
    tablet = width < 1024
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": tablet})
    if tablet:
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    return driver


def wait(driver, condition, message: str):
    return WebDriverWait(driver, SETTLE_SECONDS, poll_frequency=0.1).until(lambda d: condition(d), message)


def open_viewer(driver) -> dict:
    driver.get(f"{BASE_URL}/")
    state = wait(driver, lambda d: d.execute_script("return document.body.dataset.ready"),
                 "the viewer never set data-ready")
    assert state == "true", f"viewer failed to load: {driver.execute_script('return window.planatlasViewer')}"
    return viewer_state(driver)


def viewer_state(driver) -> dict:
    return driver.execute_script("return window.planatlasViewer")


def by_testid(driver, testid: str):
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def all_by_testid(driver, testid: str):
    return driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def count(driver, css: str) -> int:
    return driver.execute_script("return document.querySelectorAll(arguments[0]).length", css)


def type_into(element, text: str) -> None:
    element.clear()
    element.send_keys(text)


def screenshot(driver, name: str) -> Path:
    settled = """const loading = document.querySelector('[data-testid="map-loading"]');
                 return !document.querySelector('[data-moving]') && getComputedStyle(loading).opacity === '0';"""
    wait(driver, lambda d: d.execute_script(settled), "the map never settled")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000, f"{path} is suspiciously small"
    return path


def severe_console_errors(driver) -> list[str]:
    # The optional /viewer/config.json may 404: that is the normal offline case, not an error.
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "/viewer/config.json" not in e["message"]]


def forget_language(driver) -> None:
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(BASE_URL))
    driver.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "local_storage"})


@pytest.fixture(scope="module")
def desktop():
    driver = make_driver(*DESKTOP)
    yield driver
    driver.quit()


@pytest.fixture
def page(desktop):
    """A freshly loaded page in Chinese (the default for a zh-CN browser)."""
    forget_language(desktop)
    open_viewer(desktop)
    return desktop


# ---- tests ---------------------------------------------------------------------------------

def test_every_catalogue_layer_is_drawn_with_all_its_features(page, catalogue):
    state = viewer_state(page)
    assert state["layerCount"] == len(catalogue)
    assert state["drawnLayerCount"] == len(catalogue), state["errors"]
    assert state["errors"] == []
    assert count(page, ".leaflet-overlay-pane path") > 0
    for collection in catalogue:
        layer = state["layers"][collection["id"]]
        assert layer["features"] == item_count(collection), collection["id"]
        assert layer["drawn"] + layer["unlocated"] == layer["features"], collection["id"]
        if layer["drawn"]:
            assert count(page, f".leaflet-overlay-pane path.pa-layer-{collection['id']}") >= 1, collection["id"]
        assert by_testid(page, f"layer-toggle-{collection['id']}").is_selected()
    assert severe_console_errors(page) == []


def test_context_layers_are_drawn_beneath_plan_layers(page, catalogue):
    panes = page.execute_script("""
        const z = (name) => Number(document.querySelector('.leaflet-' + name + '-pane').style.zIndex);
        return {context: Math.max(z('contextPolygon'), z('contextLine')),
                plan: Math.min(z('planPolygon'), z('planLine'), z('planPoint'))};""")
    assert panes["context"] < panes["plan"]
    for collection in catalogue:
        if collection.get("planatlas:context") and viewer_state(page)["layers"][collection["id"]]["drawn"]:
            in_context_pane = count(page, f".leaflet-contextPolygon-pane path.pa-layer-{collection['id']}, "
                                          f".leaflet-contextLine-pane path.pa-layer-{collection['id']}")
            assert in_context_pane >= 1, collection["id"]


def test_turning_a_layer_off_removes_its_paths_and_on_brings_them_back(page, catalogue):
    layer_id = next(c["id"] for c in catalogue if viewer_state(page)["layers"][c["id"]]["drawn"] > 0)
    selector = f".leaflet-overlay-pane path.pa-layer-{layer_id}"
    before = count(page, selector)
    toggle = by_testid(page, f"layer-toggle-{layer_id}")
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", toggle)
    toggle.click()
    wait(page, lambda d: count(d, selector) == 0, f"paths of {layer_id} stayed on the map")
    assert viewer_state(page)["layers"][layer_id]["visible"] is False
    by_testid(page, f"layer-toggle-{layer_id}").click()
    wait(page, lambda d: count(d, selector) == before, f"paths of {layer_id} did not come back")


def test_near_search_at_the_mukden_palace_lists_hits_by_distance(page):
    lon, lat = MUKDEN_PALACE
    expected = api("/near", lon=lon, lat=lat, radius=1000)
    assert "__status" not in expected, expected
    by_testid(page, "tab-near").click()
    type_into(by_testid(page, "near-lon"), str(lon))
    type_into(by_testid(page, "near-lat"), str(lat))
    type_into(by_testid(page, "near-radius"), "1000")
    by_testid(page, "near-submit").click()
    wait(page, lambda d: viewer_state(d)["near"]["query"] is not None, "the near search never finished")

    items = page.find_elements(By.CSS_SELECTOR, '[data-testid="near-results"] > li[data-testid="near-result"]')
    assert len(items) == len(expected["features"]) >= 1
    distances = [float(li.get_attribute("data-distance")) for li in items]
    assert distances == sorted(distances)
    assert all(0 <= d <= 1000 for d in distances)
    assert [li.get_attribute("data-id") for li in items] == \
        [str(f.get("id", f["properties"].get("id"))) for f in expected["features"]]
    assert count(page, ".leaflet-overlay-pane path.pa-near-circle") == 1
    assert by_testid(page, "near-count").text.strip() != ""

    items[0].find_element(By.TAG_NAME, "button").click()
    wait(page, lambda d: count(d, ".leaflet-overlay-pane path.pa-highlight") >= 1, "the chosen hit was not highlighted")
    assert "selected" in items[0].get_attribute("class")


def test_clicking_the_map_in_near_mode_searches_there(page):
    by_testid(page, "tab-near").click()
    map_element = by_testid(page, "map")
    ActionChains(page).move_to_element_with_offset(map_element, 10, 10).click().perform()
    wait(page, lambda d: viewer_state(d)["near"]["query"] is not None, "a map click did not run a near search")
    assert by_testid(page, "near-lon").get_attribute("value") != ""
    assert by_testid(page, "near-lat").get_attribute("value") != ""


def test_a_problem_from_the_server_is_shown_next_to_the_form(page):
    lon, lat = MUKDEN_PALACE
    problem = api("/near", lon=lon, lat=lat, radius="abc")
    assert problem.get("__status", 200) >= 400, "the server accepted radius=abc"
    by_testid(page, "tab-near").click()
    type_into(by_testid(page, "near-lon"), str(lon))
    type_into(by_testid(page, "near-lat"), str(lat))
    page.execute_script("arguments[0].type = 'text'", by_testid(page, "near-radius"))  # let 'abc' through
    type_into(by_testid(page, "near-radius"), "abc")
    by_testid(page, "near-submit").click()
    box = wait(page, lambda d: by_testid(d, "near-error") if by_testid(d, "near-error").is_displayed() else None,
               "no error was shown")
    assert problem.get("detail", "") in box.text
    if problem.get("parameter") == "radius":
        assert by_testid(page, "near-radius").get_attribute("aria-invalid") == "true"


def run_overlaps(page, action) -> dict:
    by_testid(page, "tab-overlaps").click()
    action()
    wait(page, lambda d: viewer_state(d)["overlaps"]["kind"] is not None or by_testid(d, "overlaps-error").is_displayed(),
         "the overlap run never finished")
    assert not by_testid(page, "overlaps-error").is_displayed(), by_testid(page, "overlaps-error").text
    return viewer_state(page)["overlaps"]


def assert_overlaps_agree_with(page, expected: dict, shown: dict) -> None:
    features = expected["features"]
    items = page.find_elements(By.CSS_SELECTOR, '[data-testid="overlaps-results"] > li[data-testid="overlap-result"]')
    assert len(items) == len(features) == shown["listed"]
    assert shown["pairs"] == expected.get("summary", {}).get("pairs", len(features))
    with_geometry = sum(1 for f in features if f.get("geometry"))
    assert shown["drawn"] == with_geometry
    if with_geometry:
        assert count(page, ".leaflet-overlay-pane path.pa-overlap") >= with_geometry
        items[0].find_element(By.TAG_NAME, "button").click()
        wait(page, lambda d: all_by_testid(d, "overlap-popup"), "choosing an overlap opened no popup")
        assert "selected" in items[0].get_attribute("class")
        areas = items[0].find_element(By.CSS_SELECTOR, '[data-testid="overlap-area"]').text
        assert len(re.findall(r"\d[\d,.]*", areas)) >= 3, areas  # mu, ha and m²


def test_conflict_rules_draw_one_highlight_per_reported_pair(page):
    expected = api("/overlaps", rules="all")
    assert "__status" not in expected, expected
    shown = run_overlaps(page, lambda: by_testid(page, "overlaps-rules").click())
    assert shown["kind"] == "rules"
    assert_overlaps_agree_with(page, expected, shown)


def test_overlap_of_two_chosen_layers_matches_the_api(page, catalogue):
    # Prefer two polygon plan layers that do overlap, so the drawing is exercised too.
    polygons = [c["id"] for c in catalogue if not c.get("planatlas:context")
                and str(c.get("planatlas:geometryType", "")).endswith("Polygon")]
    candidates = list(itertools.combinations(polygons, 2))[:12] or [(catalogue[0]["id"], catalogue[-1]["id"])]
    a, b, expected = None, None, None
    for a, b in candidates:
        expected = api("/overlaps", layers=f"{a},{b}")
        if expected.get("features"):
            break
    assert "__status" not in expected, expected

    def choose():
        Select(by_testid(page, "overlaps-a")).select_by_value(a)
        Select(by_testid(page, "overlaps-b")).select_by_value(b)
        by_testid(page, "overlaps-buffer").clear()
        by_testid(page, "overlaps-submit").click()

    shown = run_overlaps(page, choose)
    assert shown["kind"] == "pair"
    assert_overlaps_agree_with(page, expected, shown)


def test_every_layer_offers_wgs84_and_gcj02_downloads(page, catalogue):
    by_testid(page, "tab-export").click()
    for collection in catalogue:
        wgs84 = by_testid(page, f"export-link-{collection['id']}-wgs84")
        gcj02 = by_testid(page, f"export-link-{collection['id']}-gcj02")
        assert urllib.parse.urlsplit(wgs84.get_attribute("href")).path == f"/export/{collection['id']}"
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(wgs84.get_attribute("href")).query)["crs"] == ["EPSG:4326"]
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(gcj02.get_attribute("href")).query)["crs"] == ["GCJ-02"]
    first = by_testid(page, f"export-link-{catalogue[0]['id']}-wgs84").get_attribute("href")
    with urllib.request.urlopen(first, timeout=120) as response:
        assert "attachment" in response.headers.get("Content-Disposition", "")
        assert json.load(response)["type"] == "FeatureCollection"


def test_language_switch_changes_the_interface_and_is_remembered(page):
    assert page.execute_script("return document.documentElement.lang") == "zh-CN"
    label_zh = by_testid(page, "tab-layers").text
    by_testid(page, "lang-toggle").click()
    wait(page, lambda d: d.execute_script("return document.documentElement.lang") == "en", "language did not switch")
    assert by_testid(page, "tab-layers").text != label_zh
    assert viewer_state(page)["lang"] == "en"
    open_viewer(page)  # reload: the choice is kept
    assert page.execute_script("return document.documentElement.lang") == "en"


def test_screenshots_desktop_and_tablet(desktop):
    forget_language(desktop)
    open_viewer(desktop)
    screenshot(desktop, "desktop-layers")
    by_testid(desktop, "tab-overlaps").click()
    by_testid(desktop, "overlaps-rules").click()
    wait(desktop, lambda d: viewer_state(d)["overlaps"]["kind"] == "rules", "rules never finished")
    screenshot(desktop, "desktop-overlaps")
    by_testid(desktop, "tab-near").click()
    type_into(by_testid(desktop, "near-lon"), str(MUKDEN_PALACE[0]))
    type_into(by_testid(desktop, "near-lat"), str(MUKDEN_PALACE[1]))
    by_testid(desktop, "near-submit").click()
    wait(desktop, lambda d: viewer_state(d)["near"]["query"] is not None, "near never finished")
    by_testid(desktop, "lang-toggle").click()
    screenshot(desktop, "desktop-near-en")

    tablet = make_driver(*TABLET)
    try:
        open_viewer(tablet)
        panel = by_testid(tablet, "panel").rect
        map_box = by_testid(tablet, "map").rect
        assert panel["y"] > map_box["y"], "on a tablet the panel should sit under the map as a sheet"
        assert abs(panel["width"] - TABLET[0]) <= 1
        screenshot(tablet, "tablet-layers")
        by_testid(tablet, "tab-near").click()
        type_into(by_testid(tablet, "near-lon"), str(MUKDEN_PALACE[0]))
        type_into(by_testid(tablet, "near-lat"), str(MUKDEN_PALACE[1]))
        by_testid(tablet, "near-submit").click()
        wait(tablet, lambda d: viewer_state(d)["near"]["query"] is not None, "near never finished on the tablet")
        screenshot(tablet, "tablet-near")
    finally:
        tablet.quit()
