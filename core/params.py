"""Reading ids and numbers that come from a request (query string, form fields): a malformed
one is a 400 with a message (django.core.exceptions.BadRequest), never a ValueError or an
OverflowError deep in a query (500)."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# The largest primary key any database here stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def id_param(raw: str | None, *, name: str) -> int | None:
    """Return the id in `raw`, or None when it is missing or empty.

    Raise BadRequest for anything but a positive whole number a database can store.
    """
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or not 0 < int(text) <= MAX_ID:
        raise BadRequest(_("“%(name)s” must be a whole number such as 12.") % {"name": name})
    return int(text)
