"""A real HTTP server on 127.0.0.1 that records every request and answers as told."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, object]:
        data = json.loads(self.body.decode("utf-8"))
        assert isinstance(data, dict)
        return data


@dataclass
class Answer:
    status: int = 200
    body: bytes = b'{"errcode": 0, "errmsg": "ok"}'
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class WebhookServer:
    """Records requests; answers with the queued :class:`Answer` objects in turn, then with
    ``default``.  ``accepted`` keeps one request per ``Idempotency-Key`` among those
    answered 2xx, as a service honouring the key does."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.answers: list[Answer] = []
        self.default = Answer()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
                with server.lock:
                    answer = server.answers.pop(0) if server.answers else server.default
                    server.requests.append(
                        Recorded(parts.path, query, dict(self.headers.items()), body)
                    )
                    server.statuses.append(answer.status)
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.statuses: list[int] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.base = f"http://{host}:{port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"{self.base}/hook"

    @property
    def accepted(self) -> list[Recorded]:
        seen: set[str] = set()
        out = []
        for request, status in zip(self.requests, self.statuses, strict=True):
            key = request.headers.get("Idempotency-Key", "")
            if 200 <= status < 300 and key not in seen:
                seen.add(key)
                out.append(request)
        return out

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
