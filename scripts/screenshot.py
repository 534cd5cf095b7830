"""Take the README's screenshot of the web phone (docs/web-phone.png) with Debian's Chromium.

Run: .venv/bin/python scripts/screenshot.py  (starts the app in local mode on a free port)
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ivr import create_app  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def main() -> None:
    app = create_app({"mode": "local", "auth_token": "screenshot", "hash_secret": "s" * 32}, environ={})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1000})
        page.goto(f"http://127.0.0.1:{server.server_port}/simulator")
        page.uncheck("#speak")
        for body in ("SYMPTOMS", "2"):
            page.fill("#sms-body", body)
            page.press("#sms-body", "Enter")
            page.wait_for_timeout(300)
        page.click("#dial")
        page.wait_for_timeout(300)
        page.click(".keypad button[data-key='2']")
        page.wait_for_timeout(300)
        out = Path(__file__).resolve().parent.parent / "docs" / "web-phone.png"
        out.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        browser.close()
    server.shutdown()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
