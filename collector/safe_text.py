"""Inventory data made inert for the places it is shown: terminals, CSV, Markdown.

Names, tags and error messages come from AWS accounts, i.e. from whoever can create a resource
in one. So:

* **Control characters** (C0 but tab/newline/CR, DEL, C1: ESC starts ANSI/OSC sequences that
  recolour, retitle or rewrite a terminal, or plant links) are shown as ``\\x1b``.
* **CSV** cells starting with ``=``, ``+``, ``-``, ``@``, tab or CR are prefixed with ``'``
  (OWASP's advice against formula injection: ``=HYPERLINK(...)``, ``=cmd|...``), unless the
  user asks for raw output.
* **Markdown** escapes HTML (``<script>`` becomes text), the characters that make links, images
  and emphasis, and table pipes.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["csv_cell", "escape_controls", "md_text"]

# C0 controls except \\t \\n \\r, DEL, C1 controls; and the Unicode line/paragraph separators and
# bidi overrides that reorder what a terminal or viewer shows.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MD_SPECIAL = re.compile(r"([\\`*\[\]|])")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with control characters but tab, newline and CR shown as ``\\xNN``."""
    return _CONTROL.sub(_escape, text)


def csv_cell(value: Any, *, raw: bool = False) -> Any:
    """A CSV cell that no spreadsheet evaluates; numbers and ``raw`` pass as they are."""
    if raw or not isinstance(value, str):
        return value
    value = escape_controls(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def md_text(value: Any) -> str:
    """Text for a Markdown document or table cell: no HTML, no links or images, no emphasis,
    pipes escaped, newlines as ``<br>``."""
    if value is None:
        return ""
    text = escape_controls(str(value)).replace("\t", " ")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = html.escape(text, quote=False)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
