"""Headless Chromium for the report tests, driven over the DevTools protocol with every network
path closed; the protocol reports console errors, exceptions, requests and dialogs."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless, no sandbox (containers run as root), no background traffic; no host name resolves
# and all traffic goes to a dead proxy, so the page gets nothing from the network.
CHROMIUM_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
    "--no-default-browser-check --disable-background-networking --disable-component-update "
    "--disable-sync --disable-extensions --proxy-server=127.0.0.1:9 --remote-debugging-port=0"
).split() + ["--host-resolver-rules=MAP * ~NOTFOUND"]


def find_browser() -> str | None:
    """The path of an installed Chromium or Chrome, if any."""
    return next((p for name in BROWSERS if (p := shutil.which(name))), None)


@dataclass
class PageVisit:
    """What happened while a page was open, and what the checks found in it."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    checks: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """One open tab: its target and DevTools session."""

    target: str
    session: str


class Browser:
    """Headless Chromium driven over the DevTools protocol, with every network path closed:
    no name resolves, a dead proxy, and the page's network emulated offline."""

    def __init__(self, executable: str, width: int = 1366, height: int = 900) -> None:
        import websocket

        self.profile = Path(tempfile.mkdtemp(prefix="cxtext-chromium-"))
        self.width, self.height = width, height
        self.process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and len(port_file.read_text().split()) >= 2):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port, path = port_file.read_text().split()[:2]
        self.socket = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=60)
        self.next_id = 0
        self.events: list[dict] = []

    def visit(self, page: Path, ready: str, checks: str, screenshot: Path) -> PageVisit:
        """Open `page`, wait until `ready` (JS) is true, evaluate `checks`, take a screenshot."""
        tab = self.open(page)
        visit = PageVisit()
        if not self.wait(tab, ready, visit):
            visit.errors.append(f"page never became ready: {ready}")
        visit.checks = self.evaluate(tab, checks)
        height = self.send("Page.getLayoutMetrics", tab.session)["cssContentSize"]["height"]
        self._viewport(tab.session, self.width, int(height))  # the whole page, laptop width
        time.sleep(1.0)  # charts resize to the new viewport; late errors arrive
        shot = self.send("Page.captureScreenshot", tab.session, format="png")
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        self._answer_dialogs(tab.session, visit)
        self._collect(visit)
        self.close_page(tab)
        return visit

    def open(
        self, page: Path, width: int | None = None, scripts: bool = True, media: str = ""
    ) -> Page:
        """A new offline tab showing `page` at `width` CSS pixels; `scripts=False` runs none
        of the page's JavaScript, `media="print"` lays it out as it prints."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session)
        self.send(
            "Network.emulateNetworkConditions",
            session,
            offline=True,
            latency=0,
            downloadThroughput=-1,
            uploadThroughput=-1,
        )
        self.send("Emulation.setScriptExecutionDisabled", session, value=not scripts)
        self.send("Emulation.setEmulatedMedia", session, media=media)
        self._viewport(session, width or self.width, self.height)
        self.send("Page.navigate", session, url=page.resolve().as_uri())
        return Page(target, session)

    def wait(self, tab: Page, ready: str, visit: PageVisit | None = None) -> bool:
        """Whether `ready` (JS) became true within a minute; dialogs the page opens meanwhile
        are answered and noted in `visit`."""
        deadline = time.monotonic() + 60
        while not self.evaluate(tab, ready):
            if time.monotonic() > deadline:
                return False
            self._answer_dialogs(tab.session, visit or PageVisit())
            time.sleep(0.2)
        return True

    def evaluate(self, tab: Page, expression: str):
        """The value of a JS expression in the page (evaluated even where the page's own
        scripts are disabled)."""
        result = self.send(
            "Runtime.evaluate", tab.session, expression=expression, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"check failed in the page: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close_page(self, tab: Page) -> None:
        self.send("Target.closeTarget", targetId=tab.target)

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def close(self) -> None:
        if hasattr(self, "socket"):
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _viewport(self, session: str, width: int, height: int) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _answer_dialogs(self, session: str, visit: PageVisit) -> None:
        for event in [e for e in self.events if e.get("method") == "Page.javascriptDialogOpening"]:
            self.events.remove(event)
            visit.dialogs.append(event["params"]["message"])
            self.send("Page.handleJavaScriptDialog", session, accept=True)

    def _collect(self, visit: PageVisit) -> None:
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                text = details.get("exception", {}).get("description") or details.get("text")
                visit.errors.append(f"exception: {text}")
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                args = " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                visit.errors.append(f"console.{params['type']}: {args}")
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                visit.errors.append(f"log: {params['entry']['text']}")
            elif method == "Network.requestWillBeSent":
                visit.requests.append(params["request"]["url"])
