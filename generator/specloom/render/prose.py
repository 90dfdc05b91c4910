"""Spec descriptions as text a reader enjoys: HTML made plain, long lines wrapped.

Specs write descriptions in CommonMark, and many in HTML (`<p>`, `<code>`, `<a href>`,
`<ul><li>`). `readable` turns HTML into the Markdown-ish plain text docstrings use
(paragraphs, `code` in backticks, links as `text (url)`, list items as `- item`) and
leaves Markdown as it is. `wrap` breaks lines longer than a width at spaces, keeping
list items and hanging indents, and leaving code blocks, tables and headings alone.
"""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

_HTML_TAG = re.compile(
    r"</?(p|br|a|ul|ol|li|code|pre|b|i|em|strong|h[1-6]|div|span|table|tr|td|th|tt|"
    r"blockquote|dl|dt|dd|hr|sup|sub|small|u)\b[^>]*>",
    re.IGNORECASE,
)
_BLOCKS = frozenset({"p", "div", "pre", "table", "blockquote", "dl", "h1", "h2", "h3", "h4"})
_BLOCKS |= {"h5", "h6", "hr"}
_LIST_ITEM = re.compile(r"([-*+]|\d+[.)])\s+")
_SECTION = re.compile(r"(Args|Raises|Returns|Attributes):\Z")
_KEEP = "\ue000"  # marks a preformatted line's indentation, which layout must not strip


def readable(text: str) -> str:
    """`text` with HTML markup turned into plain text; text without HTML comes back as is."""
    if not _HTML_TAG.search(text):
        return text
    converter = _HtmlToText()
    converter.feed(text)
    converter.close()
    return converter.text()


class _HtmlToText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._lists: list[list[int]] = []  # per open list: [next number] or [] if unordered
        self._link: str | None = None
        self._link_text: list[str] = []
        self._pre: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self._pre = []
        elif tag in _BLOCKS:
            self._parts.append("\n\n")
        elif tag == "br":
            self._parts.append("\n")
        elif tag in ("ul", "ol"):
            self._lists.append([1] if tag == "ol" else [])
            self._parts.append("\n")
        elif tag == "li":
            marker = "- "
            if self._lists and self._lists[-1]:
                marker = f"{self._lists[-1][0]}. "
                self._lists[-1][0] += 1
            self._parts.append("\n" + "  " * max(len(self._lists) - 1, 0) + marker)
        elif self._pre is not None:
            return  # inside <pre> only the text counts
        elif tag in ("code", "tt"):
            self._parts.append("`")
        elif tag in ("b", "strong"):
            self._parts.append("**")
        elif tag in ("i", "em"):
            self._parts.append("*")
        elif tag == "a":
            self._link = dict(attrs).get("href")
            self._link_text = []
        elif tag in ("td", "th"):
            self._parts.append(" | ")
        elif tag == "tr":
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self._pre is not None:
            # Preformatted text becomes an indented block, kept as it is.
            lines = "".join(self._pre).strip("\n").split("\n")
            self._parts.append("\n\n" + "\n".join(_KEEP + "    " + line for line in lines) + "\n\n")
            self._pre = None
        elif tag in _BLOCKS:
            self._parts.append("\n\n")
        elif self._pre is not None:
            return
        elif tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
            self._parts.append("\n\n")
        elif tag in ("code", "tt"):
            self._parts.append("`")
        elif tag in ("b", "strong"):
            self._parts.append("**")
        elif tag in ("i", "em"):
            self._parts.append("*")
        elif tag == "a":
            shown = "".join(self._link_text).strip()
            if (
                self._link
                and self._link.startswith(("http://", "https://"))
                and (self._link != shown)
            ):
                self._parts.append(f" ({self._link})")
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link_text.append(data)
        if self._pre is not None:
            self._pre.append(data)
        else:
            self._parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        joined = "".join(self._parts)
        lines = [line.rstrip() for line in joined.split("\n")]
        # At most one blank line between paragraphs; no space left at a line's start
        # (except list nesting and preformatted text).
        out: list[str] = []
        for line in lines:
            if not line.strip():
                if out and out[-1] != "":
                    out.append("")
                continue
            if line.startswith(_KEEP):
                out.append(line[len(_KEEP) :])
            else:
                out.append(line if _LIST_ITEM.match(line.lstrip()) else line.lstrip(" "))
        return "\n".join(out).strip("\n")  # character references are already decoded


def wrap(text: str, width: int, first_width: int | None = None) -> str:
    """`text` with lines longer than `width` (the first line: `first_width`) broken at
    spaces. List items and `Args:` entries continue under their text; fenced or indented
    code, tables and headings are left as they are."""
    out: list[str] = []
    fenced = False
    section = False
    for number, line in enumerate(text.split("\n")):
        limit = first_width if number == 0 and first_width is not None else width
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        if _SECTION.match(stripped):
            section = True
        elif stripped and indent == 0:
            section = False  # a section lasts while its lines are indented, blank lines too
        keep = fenced or stripped.startswith(("|", "#", "```", "~~~")) or len(line) <= limit
        # Outside a section an indented line is code; in one, entries sit at 4 and their
        # text continues at 8, deeper is code again.
        if keep or indent > (8 if section else 3):
            out.append(line)
            continue
        out += _wrapped(line, indent, limit, width, hanging=section and indent <= 4)
    return "\n".join(out)


def _wrapped(line: str, indent: int, first: int, width: int, *, hanging: bool) -> list[str]:
    body = line[indent:]
    item = _LIST_ITEM.match(body)
    continuation = indent + (len(item.group(0)) if item else 4 if hanging else 0)
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
