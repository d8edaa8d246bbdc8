"""Regenerate docs/images/network.png: log in to a running demo and capture the network page.

Usage: start `tandem demo` (default http://127.0.0.1:8000), then
    .venv/bin/python scripts/readme_screenshot.py [BASE_URL]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def main(base: str) -> None:
    target = Path(__file__).resolve().parents[1] / "docs" / "images" / "network.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base}/login")
        page.fill("input[name=email]", "planner@elbe-roasting.example")
        page.fill("input[name=password]", "tandem-demo-elbe")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/network")
        page.screenshot(path=str(target), full_page=False)
        browser.close()
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
