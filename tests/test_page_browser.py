"""The timeline page in a real browser: headless Chromium opens it from file:// with no network.

Screenshots land in tests/artifacts/ (git-ignored) for a person to look at. Skipped only where no
browser can run, and the skip reason says what to install; CI (.ci/run) installs it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import chrome, missing, screenshot
from .conftest import SEEDS, run

WHY = missing()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(WHY is not None, reason=f"no browser here: {WHY}")]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TITLE = "Cooperation <script>document.title='pwned'</script> page"
HOSTILE = """ date 2024-03-05
Pakistan and US <script>alert(1)</script> hold talks
ISLAMABAD: Pakistan and the United States held counterterrorism talks on Monday \
<script>alert(1);window.__pwned=1;document.title='pwned'</script> and agreed to expand military training, \
officials said.

The two delegations will meet again next month <img src=x onerror="window.__pwned=2;document.title='pwned'"> \
to sign an agreement on joint exercises & "training" for Pakistani officers.

The talks followed a visit by a US general in January 2024, when both sides discussed border security.
"""


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    """The page (and the `timeline --json` events) for the seeds plus a hostile article."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "009_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    with (corpus / "annotations.toml").open("a", encoding="utf-8") as f:
        f.write('\n["009"]\noutlet = "Evil <b onmouseover=alert(5)>News</b>"\n')
    target = tmp_path / "timeline.html"
    code, _, err = run("--corpus", str(corpus), "timeline", "--format", "html", "--title", TITLE, "-o", str(target))
    assert code == 0, err
    code, out, err = run("--corpus", str(corpus), "timeline", "--json")
    assert code == 0, err
    events = json.loads(out)
    assert any("<script>alert(1)" in e["text"] for e in events) and any("onerror=" in e["text"] for e in events)
    return target, events


@pytest.fixture
def browser() -> Iterator[Any]:
    driver = chrome()
    yield driver
    driver.quit()


def visible(driver: Any) -> list[str]:
    """The sentences of the events shown."""
    return [li.find_element("css selector", "blockquote.text").get_attribute("textContent")
            for li in driver.find_elements("css selector", "li.event") if li.is_displayed()]


def console_errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_the_page_in_chromium(built: tuple[Path, list[dict[str, Any]]], browser: Any) -> None:
    page, events = built
    browser.get(page.as_uri())
    texts = [e["text"] for e in events]

    # every event of `timeline --json` is on the page: by id when records have one, else by its sentence
    assert len(browser.find_elements("css selector", "li.event")) == len(events)
    for e in events:
        if "id" in e:
            assert browser.find_elements("css selector", f'li.event[data-event-id="{e["id"]}"]'), e["id"]
    assert sorted(visible(browser)) == sorted(texts)

    # the hostile article shows its markup as text and runs nothing
    assert browser.title == TITLE
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.execute_script("return document.images.length + document.querySelectorAll('b').length") == 0
    assert len(browser.find_elements("css selector", "script")) == 2
    body = browser.find_element("css selector", "main").get_attribute("textContent")
    assert "<script>alert(1);window.__pwned=1;document.title='pwned'</script>" in body
    assert '<img src=x onerror="window.__pwned=2' in body and "Evil <b onmouseover=alert(5)>News</b>" in body

    # the text filter hides and shows; a toggle filters by outlet; the year index counts what is shown
    search = browser.find_element("id", "q")
    assert search.is_displayed()
    search.send_keys("onerror")
    assert visible(browser) == [t for t in texts if "onerror" in t.lower()] != []
    assert browser.find_element("id", "shown").text == f"Showing 1 of {len(events)} events"
    assert not browser.find_element("id", "y2018").is_displayed()
    search.clear()
    search.send_keys(" ")  # clear() fires no input event
    assert len(visible(browser)) == len(events)
    toggle = browser.find_element("css selector", 'button.toggle[data-facet="outlet"][data-value="Udayavani"]')
    toggle.send_keys(" ")  # a real button: the keyboard presses it
    assert toggle.get_attribute("aria-pressed") == "true"
    expected = [e["text"] for e in events if any(s["outlet"] == "Udayavani" for s in e["sources"])]
    assert visible(browser) == expected and expected
    assert browser.find_element("css selector", '.years a[data-year="2023"] .n').text == "0"
    browser.find_element("id", "reset").click()
    assert len(visible(browser)) == len(events) and toggle.get_attribute("aria-pressed") == "false"

    # loaded nothing, said nothing wrong
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert console_errors(browser) == []

    # readable at 360 px (no sideways scrolling), printable, light and dark: screenshots for people
    for width in (1280, 360):
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600})
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        screenshot(browser, ARTIFACTS / f"timeline-{width}.png", width)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                            {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    assert browser.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(21, 24, 28)"
    screenshot(browser, ARTIFACTS / "timeline-dark-360.png", 360, height=1400)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not browser.find_element("id", "controls").is_displayed()
    assert not browser.find_element("css selector", "nav.years").is_displayed()
    assert console_errors(browser) == []


def test_without_javascript_everything_is_visible(built: tuple[Path, list[dict[str, Any]]]) -> None:
    page, events = built
    driver = chrome(javascript=False)
    try:
        driver.get(page.as_uri())
        assert sorted(visible(driver)) == sorted(e["text"] for e in events)
        assert not driver.find_element("id", "controls").is_displayed()  # controls that could not work
        assert driver.find_element("css selector", "nav.years").is_displayed()  # plain links work
        assert driver.title == TITLE and console_errors(driver) == []
    finally:
        driver.quit()
