"""Screenshots of a timeline page for the docs, in headless Chromium (selenium + Debian's chromium).

    pakus --corpus seeds timeline --format html --output docs/timeline.html
    python scripts/screenshot_page.py docs/timeline.html docs/    # timeline-1280.png, timeline-360.png

Each shot is the top of the page as a reader first sees it (1280 x 1100 and 360 x 1400 CSS pixels).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chrome, missing, screenshot  # noqa: E402 (the path above makes tests importable)

SHOTS = {1280: 1100, 360: 1400}


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    page, folder = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    why = missing()
    if why:
        print(f"screenshot_page: {why}", file=sys.stderr)
        return 1
    driver = chrome()
    try:
        driver.get(page.as_uri())
        for width, height in SHOTS.items():
            print(screenshot(driver, folder / f"{page.stem}-{width}.png", width, height=height))
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
