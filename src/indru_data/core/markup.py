"""Text from a package made safe for the Markdown and HTML that a browser reads.

The codebook, the docs site's table pages, the findings pages and the explorer show titles,
descriptions, vocabularies and cells that come from a descriptor, a schema or a CSV anyone can
edit. Markdown passes raw HTML through and turns `[text](javascript:...)` into a link, so
every such string goes through one of these functions before it reaches a page:

- `md_text`: `<` and `>` become entities (no tag, no attribute, no `<javascript:...>`
  autolink survives), and Markdown's link brackets are
  backslash-escaped (no link can be made from data). A `code span` in the text is kept, as
  the descriptions use them: Markdown shows a code span's content literally, HTML included.
- `md_cell`: the same, for a table cell (a `|` or a line break would end the cell).
- `md_code`: a code span, which shows its text literally (a backtick would close it early).
- `safe_url` / `md_link`: a link only for an http(s) address; anything else is shown as text.

Only the standard library is used.
"""

from __future__ import annotations

import re

# Markdown's punctuation that can make a link or an image (`[...](...)`, `[...][ref]`), a
# code span or, with the attr_list extension the site uses, attributes such as onclick
# (`{: ...}`), and the backslash that would escape our escapes. Emphasis (`*`, `_`) is left:
# it changes how text looks, never what a page does.
_MARKDOWN_SPECIAL = re.compile(r"([\\`\[\]{}])")

# A code span: one backtick, text without backticks or line breaks, one backtick.
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")

# Schemes a generated link may have: a page on the web, nothing that runs.
_WEB_URL = re.compile(r"https?://[^\s]+", re.IGNORECASE)

# Characters of a URL that Markdown's link syntax or an HTML attribute would read as syntax.
_URL_SYNTAX = frozenset("()<>\"'`[]\\{}|^")


def _no_tags(text: str) -> str:
    """`<` and `>` as entities: no tag, comment or `<scheme:...>` autolink can start. (Quotes
    need no escaping: data never goes into an attribute; `&` only starts an entity, which
    shows as text.)"""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def md_text(value: object) -> str:
    """Inline Markdown that shows `value` as plain text (its code spans as code)."""
    parts = _CODE_SPAN.split(str(value))
    # split() with one group: the odd items are the code spans, kept as they are
    return "".join(
        part if i % 2 else _MARKDOWN_SPECIAL.sub(r"\\\1", _no_tags(part))
        for i, part in enumerate(parts)
    )


def md_cell(value: object) -> str:
    """`md_text` for one cell of a Markdown table: on one line, `|` escaped."""
    return md_text(" ".join(str(value).splitlines())).replace("|", "\\|")


def md_code(value: object) -> str:
    """A code span showing `value` (which never holds a backtick or a line break)."""
    text = " ".join(str(value).replace("`", "'").splitlines()).replace("|", "\\|")
    return f"`{text}`" if text.strip() else "` `"


def safe_url(value: object) -> str | None:
    """The address when it is an http(s) URL, percent-encoded where Markdown or an HTML
    attribute could read its characters as syntax; None for any other scheme."""
    if not isinstance(value, str) or not _WEB_URL.fullmatch(value):
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    return "".join(f"%{ord(ch):02X}" if ch in _URL_SYNTAX else ch for ch in value)


def md_link(text: object, url: object) -> str:
    """A Markdown link to `url` labelled `text`, or the text alone when the URL is not http(s)."""
    target = safe_url(url)
    label = md_text(text)
    return f"[{label}]({target})" if target else label


def printable(text: object) -> str:
    """`text` for a terminal or a log: every control character (line breaks included) and
    every other character that is not printable, bidirectional overrides and isolates among
    them, shown as its escape (`\\u202e`), so a stranger's id cannot reorder or hide what a
    message says."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text)
    )


__all__ = ["md_cell", "md_code", "md_link", "md_text", "printable", "safe_url"]
