"""Take the README's picture of a prediction's page on the local server (docs/local-server.png).

Runs a faked image model with a webhook to a small receiver here, opens the
prediction's page in headless Chromium (Debian's package, driven by playwright)
once it has finished, and saves the screenshot. Usage:

    .venv/bin/python scripts/screenshot_local_server.py [OUTPUT.png]
"""

from __future__ import annotations

import http.server
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

import replicate_ext
from replicate_ext.testing import LocalServer

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "tests" / "docs" / "files" / "flux-schnell.json"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def main(output: Path) -> None:
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{receiver.server_address[1]}/replicate-webhook"
    models = {"black-forest-labs/flux-schnell": MODEL}
    with (
        LocalServer(speed=4, models=models) as server,
        replicate_ext.Client(server.token, base_url=server.base_url) as client,
        sync_playwright() as playwright,
        tempfile.TemporaryDirectory() as profile,
    ):
        prediction = client.predictions.create(
            model="black-forest-labs/flux-schnell",
            input={"prompt": "a lighthouse at dusk", "num_outputs": 3, "aspect_ratio": "3:2"},
            webhook=hook,
            webhook_events_filter=["start", "completed"],
        )
        prediction = client.wait(prediction)
        server.state.wait_until(
            lambda: sum(1 for d in server.state.webhook_deliveries if d.status_code) >= 2
        )
        browser = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1100, "height": 800},
            device_scale_factor=1,
        )
        page = browser.new_page()
        page.goto(prediction.urls.web)
        page.wait_for_selector("#status.succeeded")
        for image in page.locator("#output img").all():
            image.evaluate("img => img.decode()")
        page.screenshot(path=str(output), full_page=True)
        browser.close()
    receiver.shutdown()
    print(f"wrote {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "local-server.png")
