"""Structured logs: one JSON object a line (LOG_FORMAT=json) carrying the request id, which
the response returns in X-Request-ID."""

from __future__ import annotations

import io
import json
import logging

from django.test import Client

from core.logging import JsonFormatter, RequestIdFilter


def _capture() -> tuple[logging.Handler, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    return handler, stream


def test_every_log_line_of_a_request_is_json_with_its_request_id(db):
    # given the JSON log handler on the request logger
    handler, stream = _capture()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        # when a request fails (a 404 is logged as a warning) with a proxy's request id
        response = Client().get("/no-such-page/", headers={"X-Request-ID": "proxy-42"})
    finally:
        logger.removeHandler(handler)
    # then the response and the log line carry that id
    assert response["X-Request-ID"] == "proxy-42"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines
    assert lines[0]["request_id"] == "proxy-42"
    assert lines[0]["level"] == "WARNING"
    assert lines[0]["logger"] == "django.request"
    assert "time" in lines[0]
    assert "message" in lines[0]


def test_a_request_without_an_id_gets_a_fresh_one(db):
    first = Client().get("/healthz")["X-Request-ID"]
    second = Client().get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert len(first) == 32
    assert second["X-Request-ID"] not in {first, "bad id\nwith newline"}
    assert len(second["X-Request-ID"]) == 32


def test_json_lines_keep_extras_and_tracebacks():
    handler, stream = _capture()
    logger = logging.getLogger("tests.infra.logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("It failed", extra={"job_id": 7})
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    line = json.loads(stream.getvalue())
    assert (line["message"], line["job_id"], line["request_id"]) == ("It failed", 7, "")
    assert "ValueError: boom" in line["exception"]
