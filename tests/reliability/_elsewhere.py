"""A second tiny HTTP server, on another origin than the API, that records what it gets.

`/redirect?to=URL` answers 302 to URL, `/file` answers some bytes, and anything POSTed
(a webhook) is kept with its headers and body: enough to see whether a client sends
the API token to a host that is not the API.
"""

from __future__ import annotations

import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Elsewhere:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.received: list[Received] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _record(self, body: bytes) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                with owner._lock:
                    owner.received.append(Received(self.command, self.path, headers, body))

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                # One request per connection: no handler thread lingers on a keep-alive.
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                self._record(b"")
                url = urllib.parse.urlsplit(self.path)
                if url.path == "/redirect":
                    (target,) = urllib.parse.parse_qs(url.query)["to"]
                    self._answer(302, b"", {"Location": target})
                elif url.path == "/file":
                    self._answer(200, b"file bytes", {"Content-Type": "application/octet-stream"})
                else:
                    self._answer(404, b"", {})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                self._record(self.rfile.read(length))
                self._answer(200, b"{}", {"Content-Type": "application/json"})

        self._server = ThreadingHTTPServer((host, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="elsewhere")

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Elsewhere:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
