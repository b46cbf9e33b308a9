"""Putting people's text into Markdown so that it reads as they wrote it and nothing more.

A planner's "a | b" must not split a table cell, a line starting with "#" must not
become a heading, and "<script>" must stay text when the Markdown is rendered to
HTML. Characters Markdown gives meaning to are escaped with a backslash (CommonMark
allows that before any ASCII punctuation), and a cell's line breaks become <br>.
"""

from __future__ import annotations

import re

# Characters with a meaning anywhere in a line: emphasis, code, links and images,
# raw HTML and autolinks, entities, strikethrough, table cells, and the escape itself.
INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
# What makes a block at the start of a line: headings, lists, quotes (">" is escaped
# above), setext and thematic-break underlines, ordered list numbers.
LINE_START = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))")


def inline(text: str) -> str:
    """One line of text, safe anywhere Markdown expects inline content."""
    return INLINE.sub(r"\\\1", text)


def _line(text: str) -> str:
    escaped = inline(text.strip())
    return LINE_START.sub(lambda m: m.group(1) + _escape_block_mark(m.group(2)), escaped)


def _escape_block_mark(mark: str) -> str:
    # "12." must become "12\." (escape the full stop), "#" becomes "\#".
    return mark + "\\" if mark.isdigit() else "\\" + mark


def paragraphs(text: str) -> str:
    """A block of text: blank lines part paragraphs, single line breaks are kept."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    rendered = ["  \n".join(_line(line) for line in block.split("\n")) for block in blocks]
    return "\n\n".join(block for block in rendered if block)


def cell(text: str) -> str:
    """Text for one table cell: on one line, its line breaks shown as <br>."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    return "<br>".join(_line(line) for line in lines)
