"""The request id: one per request (or the proxy's X-Request-ID), in every log line written
while the request runs and in the response's X-Request-ID header."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="")

# A proxy's id is kept only when it is short and plain (it goes into logs and a header).
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_new(incoming: str | None = None) -> str:
    """Return the id of a new request: the incoming one when it is acceptable, else a new one."""
    if incoming and _ACCEPTED.match(incoming):
        return incoming
    return uuid.uuid4().hex


def request_id_current() -> str:
    """The id of the request being served in this thread or task, or "" outside one."""
    return request_id_var.get()
