"""HTML in a spec's description made plain text (`specloom.render.prose.readable`):
paragraphs, `code` in backticks, links as `text (url)`, list items as `- item`.

Apart from `prose` so that a spec whose descriptions hold no HTML never imports
`html.parser`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from specloom.render.prose import LIST_ITEM

__all__ = ["html_as_text"]

_BLOCKS = frozenset({"p", "div", "pre", "table", "blockquote", "dl", "h1", "h2", "h3", "h4"})
_BLOCKS |= {"h5", "h6", "hr"}
_CONTAINERS = _BLOCKS - {"hr"} | {"ul", "ol", "li", "td", "th", "dt", "dd"}
_INLINE = {"code": "`", "tt": "`", "b": "**", "strong": "**", "i": "*", "em": "*"}
"""Inline elements, and the Markdown that opens and closes each."""
_KEEP = "\ue000"  # marks a preformatted line's indentation, which layout must not strip


def html_as_text(text: str) -> str:
    """`text`, which holds HTML markup, as plain text."""
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
        self._open = 0  # HTML block elements open around the text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open += tag in _CONTAINERS
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
        elif tag in _INLINE:
            self._parts.append(_INLINE[tag])
        elif tag == "a":
            self._link = dict(attrs).get("href")
            self._link_text = []
        elif tag in ("td", "th"):
            self._parts.append(" | ")
        elif tag == "tr":
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _CONTAINERS and self._open:
            self._open -= 1
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
        elif tag in _INLINE:
            self._parts.append(_INLINE[tag])
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
            # Spec descriptions are CommonMark with HTML in it: outside HTML elements, line
            # breaks carry Markdown structure (paragraphs, list items) and stay; inside
            # one, as in HTML, every run of white space is one space.
            space = r"\s+" if self._open else r"[^\S\n]+"
            self._parts.append(re.sub(space, " ", data))

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
                out.append(line if LIST_ITEM.match(line.lstrip()) else line.lstrip(" "))
        return "\n".join(out).strip("\n")  # character references are already decoded
