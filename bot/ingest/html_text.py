"""HTML → main text lines with the standard library parser (no extra dependency)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form", "iframe",
         "svg", "template", "button", "select", "figcaption", "head"}  # fmt: skip
_MAIN = {"main", "article"}
_BLOCK = {"p", "div", "br", "li", "tr", "section", "table", "ul", "ol", "blockquote", "pre",
          "dd", "dt", "figure", "hr", "body", "center"}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CELLS = {"td", "th"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "source", "area", "base", "col"}


class _MainTextParser(HTMLParser):
    """Collects text lines, outside chrome elements, noting headings and main/article content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skip_depth = 0
        self.main_depth = 0
        self.lines: list[tuple[str, bool, bool]] = []  # (text, is_heading, inside main/article)
        self.parts: list[str] = []
        self.heading = False
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in _VOID:
            if tag in _BLOCK:
                self._flush()
            return
        self.stack.append(tag)
        inside_main_header = tag == "header" and self.main_depth > 0  # an article's own headline
        if (tag in _SKIP and not inside_main_header) or _is_chrome(attrs):
            self.skip_depth += 1
            self.stack[-1] = tag + "\x00"  # remember this element opened a skipped region
        if tag in _MAIN:
            self.main_depth += 1
        if tag in _BLOCK or tag in _HEADINGS:
            self._flush()
        if tag in _HEADINGS:
            self.heading = True
        if tag in _CELLS and self.parts and "".join(self.parts).strip():
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _VOID or tag not in {t.rstrip("\x00") for t in self.stack}:
            return
        while self.stack:
            opened = self.stack.pop()
            name = opened.rstrip("\x00")
            if opened.endswith("\x00"):
                self.skip_depth -= 1
            if name in _MAIN:
                self.main_depth -= 1
            if name in _BLOCK or name in _HEADINGS:
                self._flush()
            if name in _HEADINGS:
                self.heading = False
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        self.parts.append(data)

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.parts)).strip().strip("|").strip()
        self.parts = []
        if text:
            self.lines.append((text, self.heading, self.main_depth > 0))


def _is_chrome(attrs: list[tuple[str, str | None]]) -> bool:
    """Elements marked as navigation/sharing by role or class (menus, share bars, comments)."""
    for name, value in attrs:
        if name == "role" and value in ("navigation", "banner", "contentinfo", "complementary"):
            return True
        if name in ("class", "id") and value:
            if re.search(r"\b(nav|menu|share|social|breadcrumb|comment|sidebar|related|footer)",
                         value, re.IGNORECASE):  # fmt: skip
                return True
    return False


def html_to_lines(source: str) -> tuple[list[str], list[str], str]:
    """Lines of the page's main text, the heading lines among them, and the <title>."""
    parser = _MainTextParser()
    parser.feed(source)
    parser.close()
    parser._flush()
    lines = parser.lines
    if any(in_main for _, _, in_main in lines):
        lines = [line for line in lines if line[2]]
    return [t for t, _, _ in lines], [t for t, h, _ in lines if h], parser.title.strip()
