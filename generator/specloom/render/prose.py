"""Spec descriptions as text a reader enjoys: HTML made plain, long lines wrapped.

Specs write descriptions in CommonMark, and many in HTML (`<p>`, `<code>`, `<a href>`,
`<ul><li>`). `readable` turns HTML into the Markdown-ish plain text docstrings use
(paragraphs, `code` in backticks, links as `text (url)`, list items as `- item`) and
leaves Markdown as it is, also around HTML tags: its line breaks are kept. `wrap` breaks
lines longer than a width at spaces, keeping list items and hanging indents, and leaving
code blocks, tables and headings alone.
"""

from __future__ import annotations

import re
import textwrap

_HTML_TAG = re.compile(
    r"</?(p|br|a|ul|ol|li|code|pre|b|i|em|strong|h[1-6]|div|span|table|tr|td|th|tt|"
    r"blockquote|dl|dt|dd|hr|sup|sub|small|u)\b[^>]*>",
    re.IGNORECASE,
)
_FENCE = re.compile(r"(```+[^`]*|~~~.*)\Z")  # a fence line (no backtick after a ``` one)
LIST_ITEM = re.compile(r"([-*+]|\d+[.)])\s+")
"""A list item's marker and the space after it."""
_SECTION = re.compile(r"(Args|Raises|Returns|Attributes):\Z")


def readable(text: str) -> str:
    """`text` with HTML markup turned into plain text; text without HTML comes back as is."""
    if not _HTML_TAG.search(text):
        return text
    from specloom.render.html_text import html_as_text  # html.parser only for HTML

    return html_as_text(text)


def wrap(text: str, width: int, first_width: int | None = None) -> str:
    """`text` with lines longer than `width` (the first line: `first_width`) broken at
    spaces. List items and `Args:` entries continue under their text; fenced or indented
    code, tables and headings are left as they are.

    A line that is broken takes the rest of its paragraph along (the lines after it at
    its continuation indent or deeper, as Markdown's soft line breaks), so that a paragraph the
    spec wrapped at a wider width reads evenly; lines that fit are left as they are."""
    lines = text.split("\n")
    out: list[str] = []
    fenced = False
    section = False
    code = False
    number = 0
    while number < len(lines):
        line = lines[number]
        limit = first_width if number == 0 and first_width is not None else width
        after_text = number > 0 and bool(lines[number - 1].strip()) and not code
        number += 1
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if _FENCE.match(stripped):
            fenced = not fenced
        if _SECTION.match(stripped):
            section = True
        elif stripped and indent == 0:
            section = False  # a section lasts while its lines are indented, blank lines too
        # Outside a section a line indented by 4 is code; in one, entries sit at 4 and
        # their text continues at 8, so code is at 12. As in Markdown, indented code
        # cannot interrupt a paragraph: right after text, an indented line is more text.
        if stripped:
            code = indent >= (12 if section else 4) and not after_text
        keep = fenced or stripped.startswith(("|", "#", "```", "~~~")) or len(line) <= limit
        if keep or code:
            out.append(line)
            continue
        hanging = section and indent <= 4
        continuation = _continuation(line, indent, hanging=hanging)
        while number < len(lines) and _continues(line, lines[number], continuation):
            line = f"{line.rstrip()} {lines[number].strip()}"
            number += 1
        out += _wrapped(line, indent, limit, width, hanging=hanging)
    return "\n".join(out)


def _continuation(line: str, indent: int, *, hanging: bool) -> int:
    """The indent of the lines that continue `line`'s text."""
    item = LIST_ITEM.match(line[indent:])
    return indent + (len(item.group(0)) if item else 4 if hanging else 0)


def _continues(line: str, following: str, continuation: int) -> bool:
    """Whether `following` is more of `line`'s paragraph: plain text at its continuation
    indent or deeper, after no hard line break."""
    stripped = following.strip()
    if not stripped or line.endswith(("  ", "\\")):
        return False
    if len(following) - len(following.lstrip(" ")) < continuation:
        return False
    if stripped.startswith(("|", "#", "```", "~~~", ">")):
        return False
    return not (LIST_ITEM.match(stripped) or _SECTION.match(stripped))


def _wrapped(line: str, indent: int, first: int, width: int, *, hanging: bool) -> list[str]:
    body = line[indent:]
    continuation = _continuation(line, indent, hanging=hanging)
    wrapper = textwrap.TextWrapper(
        width=max(first, indent + 20),
        initial_indent=" " * indent,
        subsequent_indent=" " * continuation,
        break_long_words=False,
        break_on_hyphens=False,
    )
    lines = wrapper.wrap(body)
    if len(lines) <= 1 or first == width:
        return lines or [line]
    rest = " ".join(part.strip() for part in lines[1:])
    wrapper.width = max(width, continuation + 20)
    wrapper.initial_indent = " " * continuation
    return [lines[0], *wrapper.wrap(rest)]
