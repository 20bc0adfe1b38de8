"""A headless Chromium for the page tests and the docs' screenshots (Selenium, Debian's chromium).

``python scripts/screenshot_page.py`` uses it too. Nothing here reaches the network: the browser
resolves no host name, and the driver is told the network is offline.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from typing import Any

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
DRIVER = ("/usr/bin/chromedriver",)
INSTALL = "apt-get install -y chromium chromium-driver; pip install selenium"


def _first(paths: tuple[str, ...], name: str) -> str | None:
    return next((p for p in paths if Path(p).exists()), None) or shutil.which(name)


def missing() -> str | None:
    """Why no browser can run here (None when one can)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return f"selenium is not installed ({INSTALL})"
    if not _first(CHROMIUM, "chromium"):
        return f"no Chromium at {', '.join(CHROMIUM)} ({INSTALL})"
    if not _first(DRIVER, "chromedriver"):
        return f"no chromedriver at {', '.join(DRIVER)} ({INSTALL})"
    return None


def chrome(*, javascript: bool = True, width: int = 1280, height: int = 900) -> Any:
    """A headless Chromium with no network, keeping the console's messages (``get_log('browser')``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = _first(CHROMIUM, "chromium") or CHROMIUM[0]
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND",
                f"--window-size={width},{height}", "--hide-scrollbars", "--force-device-scale-factor=1"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = Service(executable_path=_first(DRIVER, "chromedriver") or DRIVER[0])
    driver = webdriver.Chrome(options=opts, service=service)
    driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    return driver


def screenshot(driver: Any, path: Path, width: int, *, height: int | None = None) -> Path:
    """A PNG of the page laid out ``width`` CSS pixels wide: the whole page, or its top ``height``."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height or 800, "deviceScaleFactor": 1, "mobile": width < 600})
    full = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    clip = {"x": 0, "y": 0, "width": width, "height": height or full, "scale": 1}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot",
                                  {"format": "png", "captureBeyondViewport": True, "clip": clip})
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
