"""Request bodies the API reads: JSON within limits of size and nesting.

THE one place a request's JSON is parsed (settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"],
core.api.ApiViewMixin): a body larger than JSON_MAX_BYTES or nested deeper than
JSON_MAX_DEPTH is a 400 with a message, never a RecursionError (500) or a stalled worker.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

JSON_MAX_DEPTH = 32
JSON_MAX_BYTES = 1024 * 1024


def json_depth_exceeds(data: Any, limit: int) -> bool:
    """Return whether parsed JSON nests objects and arrays deeper than `limit` (iteratively:
    a hostile document cannot exhaust the stack here either)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser with a size and a nesting limit, and no NaN or Infinity."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        max_bytes = getattr(settings, "API_JSON_MAX_BYTES", JSON_MAX_BYTES)
        max_depth = getattr(settings, "API_JSON_MAX_DEPTH", JSON_MAX_DEPTH)
        raw = stream.read(max_bytes + 1) if stream is not None else b""
        if len(raw) > max_bytes:
            raise ParseError(_("The JSON body is larger than %(n)s bytes.") % {"n": max_bytes})
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(_too_deep(max_depth)) from None
        except (ValueError, UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("JSON parse error: %(e)s") % {"e": exc}) from None
        if json_depth_exceeds(data, max_depth):
            raise ParseError(_too_deep(max_depth))
        return data


def _too_deep(limit: int) -> str:
    return _("The JSON body nests deeper than %(n)s levels.") % {"n": limit}


def _refuse_constant(name: str) -> Any:
    raise ValueError(_("%(c)s is not a number JSON allows.") % {"c": name})
