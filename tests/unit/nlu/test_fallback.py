"""The production parser falls back to the rules parser when Rasa is down, failing or slow."""
from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from app.config import NluConfig
from nlu import RasaServer, RasaServerError, build_parser

GOOD_BODY = {"text": "x", "intent": {"name": "report_problem", "confidence": 0.93},
             "entities": [{"entity": "building", "value": "3"}, {"entity": "room", "value": "1801"},
                          {"entity": "category", "value": "plumbing", "confidence_entity": 0.9},
                          {"entity": "urgency", "value": "urgent"}]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fake_rasa(delay: float = 0.0, status: int = 200, body: dict = GOOD_BODY) -> ThreadingHTTPServer:
    """A tiny local stand-in for `rasa run`: answers /model/parse after `delay` seconds."""
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(delay)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # the client hanging up on a slow answer is the point
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def serve() -> Iterator:
    servers = []

    def start(**kwargs) -> NluConfig:
        server = fake_rasa(**kwargs)
        servers.append(server)
        return NluConfig(port=server.server_address[1], timeout_seconds=0.3)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_rasa_answers_when_it_is_up_and_quick(serve) -> None:
    parse = build_parser(serve()).parse("3栋1801水管爆了")
    assert (parse.engine, parse.intent.value, parse.location.building, parse.location.room) == ("rasa", "report_problem", "3", "1801")
    assert (parse.category.value, parse.urgency.value) == ("plumbing", "urgent")


def test_rules_answer_when_rasa_is_unreachable() -> None:
    parse = build_parser(NluConfig(port=free_port(), timeout_seconds=0.3)).parse("3栋1801厨房漏水")
    assert (parse.engine, parse.intent.value, parse.location.room) == ("rules", "report_problem", "1801")


def test_rules_answer_within_the_timeout_when_rasa_is_slow(serve) -> None:
    parser = build_parser(serve(delay=2.0))
    started = time.monotonic()
    parse = parser.parse("the lift in block 3 is broken")
    assert parse.engine == "rules" and parse.location.building == "3"
    assert time.monotonic() - started < 1.5


def test_rules_answer_when_rasa_returns_an_error(serve) -> None:
    assert build_parser(serve(status=500)).parse("厨房漏水").engine == "rules"


def test_rules_answer_when_rasa_returns_no_intent(serve) -> None:
    assert build_parser(serve(body={"text": "x", "entities": []})).parse("厨房漏水").engine == "rules"


async def test_async_parse_uses_rasa_when_it_is_up(serve) -> None:
    parser = build_parser(serve())
    parse = await parser.aparse("3栋1801水管爆了")
    await parser.aclose()
    assert parse.engine == "rasa"


async def test_async_parse_falls_back_without_waiting_for_a_slow_rasa(serve) -> None:
    parser = build_parser(serve(delay=2.0))
    started = time.monotonic()
    parse = await parser.aparse("the lift in block 3 is broken")
    await parser.aclose()
    assert parse.engine == "rules" and time.monotonic() - started < 1.5


async def test_async_parse_falls_back_when_rasa_is_unreachable() -> None:
    parser = build_parser(NluConfig(port=free_port(), timeout_seconds=0.3))
    assert (await parser.aparse("取消报修")).engine == "rules"


def test_server_refuses_to_start_without_a_model_and_says_what_to_run(tmp_path) -> None:
    server = RasaServer(NluConfig(port=free_port()), model=tmp_path / "missing.tar.gz")
    with pytest.raises(RasaServerError, match="make setup"):
        server.start()


def test_server_reports_not_running_when_nothing_listens() -> None:
    assert not RasaServer(NluConfig(port=free_port())).is_running()


def test_an_unknown_category_or_urgency_from_rasa_is_dropped_not_a_crash(serve) -> None:
    odd = {"text": "x", "intent": {"name": "report_problem", "confidence": 0.9},
           "entities": [{"entity": "category", "value": "我家的water"}, {"entity": "urgency", "value": "soonish"}]}
    parse = build_parser(serve(body=odd)).parse("我家的water heater坏了")
    assert (parse.engine, parse.category, parse.urgency.value) == ("rasa", None, "normal")


def test_a_ticket_ref_written_with_a_hash_by_another_extractor_still_reads_as_a_number(serve) -> None:
    body = {"text": "x", "intent": {"name": "urge", "confidence": 0.9}, "entities": [{"entity": "ticket_ref", "value": "#31"}]}
    assert build_parser(serve(body=body)).parse("#31 还没修好").ticket_ref == 31


def test_rules_answer_even_when_reading_the_rasa_answer_fails_unexpectedly(serve, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr("nlu.client.parse_from_rasa", broken)
    assert build_parser(serve()).parse("厨房漏水").engine == "rules"
