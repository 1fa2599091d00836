"""Screenshots of an `ordinance report` page in headless Chromium, at desktop and laptop sizes.

    ordinance report --out report.html --compare all
    python docs/report/screenshots.py report.html docs/report/

writes the PNG files docs/analysis.md shows.  Chromium's own ``--screenshot`` flag
captures only the top of a page, so this drives the browser over its DevTools
protocol instead (a WebSocket, spoken here with the standard library alone): it
sets the window size, opens the page, opens a finding or scrolls to a section the
way a reader's click would, and captures what is on the screen.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

#: (file, width, height, what to do once the page is loaded: a script run in the page)
SHOTS = [
    ("desktop.png", 1440, 900, ""),
    ("laptop.png", 1280, 800, ""),
    ("desktop-finding.png", 1440, 900,
     "var d = document.querySelector('details.finding.k-federal'); d.open = true;"
     "d.scrollIntoView({block: 'start', behavior: 'instant'});"),
    ("laptop-graph.png", 1280, 800,
     "var d = document.querySelector('details.finding.k-federal'); d.open = true;"
     "d.querySelector('figcaption').scrollIntoView({block: 'start', behavior: 'instant'});"),
    ("desktop-comparisons.png", 1440, 900,
     "document.getElementById('comparisons').scrollIntoView({block: 'start', behavior: 'instant'});"),
]


class DevTools:
    """A WebSocket client of Chromium's DevTools protocol: just what these calls need."""

    def __init__(self, url: str) -> None:
        where = urlparse(url)
        self.socket = socket.create_connection((where.hostname, where.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.socket.sendall((f"GET {where.path} HTTP/1.1\r\nHost: {where.netloc}\r\nUpgrade: websocket\r\n"
                             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += self.socket.recv(4096)
        head, self.buffer = reply.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"DevTools refused the connection: {head[:200]!r}")
        self.next_id = 0

    def _read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.socket.recv(1 << 20)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _message(self) -> dict:
        parts = []
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            parts.append(self._read(length))
            if first & 0x80:  # the last frame of the message
                return json.loads(b"".join(parts))

    def call(self, method: str, session: str | None = None, **params) -> dict:
        """Send one command and wait for its answer (events meanwhile are skipped)."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        size = len(payload)
        header = bytes([0x81]) + (bytes([0x80 | size]) if size < 126 else
                                  bytes([0x80 | 126]) + struct.pack(">H", size) if size < 1 << 16 else
                                  bytes([0x80 | 127]) + struct.pack(">Q", size))
        self.socket.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        while True:
            answer = self._message()
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]


def shoot(page: Path, out: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("Chromium is not installed")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        browser = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                                    "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            assert browser.stderr is not None
            for line in browser.stderr:
                found = re.search(r"DevTools listening on (ws://\S+)", line)
                if found:
                    break
            else:
                sys.exit("Chromium did not open its DevTools port")
            tools = DevTools(found.group(1))
            for name, width, height, script in SHOTS:
                target = tools.call("Target.createTarget", url="about:blank")["targetId"]
                session = tools.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
                tools.call("Emulation.setDeviceMetricsOverride", session, width=width, height=height,
                           deviceScaleFactor=1, mobile=False)
                tools.call("Page.navigate", session, url=page.resolve().as_uri())
                while tools.call("Runtime.evaluate", session, expression="document.readyState",
                                 returnByValue=True)["result"]["value"] != "complete":
                    time.sleep(0.2)
                if script:
                    tools.call("Runtime.evaluate", session, expression=script)
                time.sleep(0.5)  # let the page lay out what the script opened
                shot = tools.call("Page.captureScreenshot", session, format="png")
                (out / name).write_bytes(base64.b64decode(shot["data"]))
                tools.call("Target.closeTarget", targetId=target)
                print(f"wrote {out / name}")
        finally:
            browser.terminate()
            browser.wait(timeout=30)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    shoot(Path(sys.argv[1]), Path(sys.argv[2]))
