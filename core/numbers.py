"""Reading the numbers people type, in one place: the web form, the Excel upload and the API.

`number_parse` never drops or reinterprets a character: what it cannot read in exactly one way
it refuses with `NumberRefused`, whose message gives an example in the person's language.
The language decides the separators (the active one unless given):

- English: a dot for decimals; a comma only between groups of three digits (1,200 = 1200),
  so "7,5" is refused rather than read as 75 or 7.5.
- French and Spanish: a comma for decimals; thousands separated by a space, a no-break space
  or a narrow no-break space (and, in Spanish, a dot), always in groups of three.

`plain=True` is the machine format of the API and of files: a dot for decimals, no grouping.
Numbers that arrive already typed (Excel cells, JSON numbers) only have to be finite.
Whether a number fits the column and the indicator is the caller's rule, not this module's.
`number_input_text` writes a stored number back the way `number_parse` reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.formatting import number_plain

SPACES = (" ", "\u00a0", "\u202f", "\u2009")  # space, no-break, narrow no-break, thin
MINUS_SIGNS = ("-", "\u2212")  # hyphen-minus, and the typographic minus some keyboards give
# A spreadsheet holds 15 significant digits; more in a float are binary noise, not typing.
FLOAT_CONTEXT = Context(prec=15)


@dataclass(frozen=True)
class NumberStyle:
    decimal: str
    groups: tuple[str, ...]  # accepted thousands separators (spaces count as one kind)
    decimal_example: str
    thousands_example: str


STYLES = {
    "en": NumberStyle(".", (",",), "7.5", "1,200"),
    "fr": NumberStyle(",", SPACES, "7,5", "1 200"),
    "es": NumberStyle(",", (".", *SPACES), "7,5", "1.200"),
}
PLAIN = NumberStyle(".", (), "7.5", "1200")


class NumberRefused(ValueError):
    """What was typed is not one number; `message` says why, with an example."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def number_style(language: str | None = None) -> NumberStyle:
    """Return the separators of a language (the active one by default; English if unknown)."""
    code = (language or get_language() or "en").split("-")[0].lower()
    return STYLES.get(code, STYLES["en"])


def _refuse_format(text: str, style: NumberStyle) -> NumberRefused:
    if style is PLAIN:
        return NumberRefused(
            _(
                "“%(v)s” is not a number: write it with digits and a dot for decimals, such "
                "as %(d)s or 1200."
            )
            % {"v": text, "d": style.decimal_example}
        )
    return NumberRefused(
        _(
            "“%(v)s” cannot be read as one number: write decimals as %(d)s and thousands as "
            "%(t)s (groups of three) or without a separator (1200)."
        )
        % {"v": text, "d": style.decimal_example, "t": style.thousands_example}
    )


def number_parse(raw: Any, *, language: str | None = None, plain: bool = False) -> Decimal | None:
    """Return what was typed as a Decimal, None when blank; raise NumberRefused otherwise."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NumberRefused(_("Enter a number, not yes or no."))
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NumberRefused(_("Enter a finite number, with digits (such as 1250)."))
        return FLOAT_CONTEXT.create_decimal_from_float(raw).normalize()
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise NumberRefused(_("Enter a finite number, with digits (such as 1250)."))
        return raw
    if not isinstance(raw, str):
        raise NumberRefused(_("Enter a number, such as 1250."))
    return _parse_text(raw, PLAIN if plain else number_style(language))


def _parse_text(raw: str, style: NumberStyle) -> Decimal | None:
    text = raw.strip()
    if not text:
        return None
    body = text
    negative = body[0] in MINUS_SIGNS
    if body[0] in (*MINUS_SIGNS, "+"):
        body = body[1:]
    allowed = set("0123456789") | {style.decimal} | set(style.groups)
    stray = [c for c in body if c not in allowed]
    if stray:
        if re.fullmatch(r"[0-9.,]*[eE][+-]?[0-9]+", body) or body.casefold() in {
            "nan",
            "inf",
            "infinity",
        }:
            raise NumberRefused(
                _("“%(v)s”: write the number in full with digits, such as 1250 (no exponent).")
                % {"v": text}
            )
        separators = ".,'" + "".join(SPACES)
        odd = [c for c in stray if c not in separators]
        if not odd:
            raise _refuse_format(text, style)
        raise NumberRefused(
            _("Enter a number with digits only, such as %(d)s or 1250 (“%(v)s” contains “%(c)s”).")
            % {"v": text, "c": odd[0], "d": style.decimal_example}
        )
    whole, sep, fraction = body.partition(style.decimal)
    if style.decimal in fraction or any(g in fraction for g in style.groups):
        raise _refuse_format(text, style)
    if any(g in whole for g in style.groups):
        # One kind of separator, between groups of exactly three digits.
        kinds = {"space" if c in SPACES else c for c in whole if not c.isdigit()}
        groups = re.split("[" + re.escape("".join(style.groups)) + "]", whole)
        if (
            len(kinds) != 1
            or not 1 <= len(groups[0]) <= 3
            or any(len(group) != 3 for group in groups[1:])
        ):
            raise _refuse_format(text, style)
        whole = "".join(groups)
    if not (whole or fraction) or (sep and not fraction and not whole):
        raise _refuse_format(text, style)
    try:
        number = Decimal((whole or "0") + (f".{fraction}" if fraction else ""))
    except InvalidOperation as exc:  # pragma: no cover - only digits reach here
        raise _refuse_format(text, style) from exc
    return -number if negative else number


def number_input_text(value: Decimal | int | None, *, language: str | None = None) -> str:
    """Return a stored number as an input shows it, so that `number_parse` reads it back."""
    text = number_plain(value)
    style = number_style(language)
    return text.replace(".", style.decimal) if style.decimal != "." else text
