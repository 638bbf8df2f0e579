"""A local HTTP server in the URL shapes of CBS's APIs, for tests.

``.../<table>/<Endpoint>`` is answered with ``<root>/<table>/<Endpoint>.json`` from a directory of
recorded responses (../shared/cbs/odata4 or odata3), or with bytes registered for a path (and optionally
a query).
Faults are scripted per path: a status code, a hang, or a body, consumed in order.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


@dataclass
class Fault:
    status: int | None = None  # answer with this status and an empty body
    hang: float = 0.0  # sleep this long before answering (to trigger read timeouts)
    body: bytes | None = None  # answer 200 with these bytes
    reset: bool = False  # promise a long body, send a little of it, then drop the connection


@dataclass
class CbsServer:
    root: Path | None = None
    routes: dict[str, bytes] = field(default_factory=dict)  # "path" or "path?query" -> body
    faults: dict[str, list[Fault]] = field(default_factory=dict)  # path -> faults, consumed in order
    requests: list[str] = field(default_factory=list)  # every request target, decoded
    methods: list[str] = field(default_factory=list)  # the method of each request, in the same order
    no_head: set[str] = field(default_factory=set)  # paths that refuse HEAD with 405, as some servers do
    no_validators: set[str] = field(default_factory=set)  # paths served with no ETag (conditions ignored)

    def start(self) -> None:
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle's algorithm on, the second waits for the
            # client's delayed ACK (~40 ms) on a kept-alive connection, which would charge every client
            # that reuses connections (as ours does) a delay CBS's servers do not have.
            disable_nagle_algorithm = True

            def do_HEAD(self):  # noqa: N802 (http.server's name)
                if urlsplit(unquote_plus(self.path)).path in server.no_head:
                    server.requests.append(unquote_plus(self.path))
                    server.methods.append("HEAD")
                    return self._send(405, b"")
                self._head = True
                try:
                    return self.do_GET("HEAD")
                finally:
                    self._head = False

            def do_GET(self, method="GET"):  # noqa: N802 (http.server's name)
                target = unquote_plus(self.path)  # "+" is a space in a query, as servers read it
                server.requests.append(target)
                server.methods.append(method)
                path = urlsplit(target).path
                queue = server.faults.get(path)
                if queue:
                    fault = queue.pop(0)
                    if fault.hang:
                        time.sleep(fault.hang)
                    if fault.status:
                        return self._send(fault.status, b"")
                    if fault.reset:
                        self.send_response(200)
                        self.send_header("Content-Length", "100000")
                        self.end_headers()
                        self.wfile.write(b'{"value": [{"Id": 0, ')
                        self.wfile.flush()
                        self.close_connection = True
                        return None
                    if fault.body is not None:
                        return self._send(200, fault.body)
                body = server.routes.get(target, server.routes.get(path))
                if body is None and server.root is not None:
                    # .../<table>/<Endpoint> -> <root>/<table>/<Endpoint>.json, whatever comes before
                    # (v4 /CBS/..., v3 /ODataFeed/odata/...): recorded responses are kept per table.
                    parts = path.strip("/").split("/")
                    if len(parts) >= 2:
                        f = server.root / parts[-2] / f"{parts[-1]}.json"
                        if f.is_file():
                            body = f.read_bytes()
                if body is None:
                    return self._send(404, b'{"error": "not found"}')
                if path in server.no_validators:
                    return self._send(200, body)
                if self.headers.get("If-None-Match") == _etag(body):
                    return self._send(304, b"", etag=_etag(body))
                self._send(200, body, etag=_etag(body))

            def _send(self, status: int, body: bytes, etag: str | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                if not getattr(self, "_head", False):  # HEAD: the headers a GET would send, no body
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def host(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return f"{self.host}/CBS"

    def count(self, endswith: str) -> int:
        return sum(1 for r in self.requests if urlsplit(r).path.endswith(endswith))

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
