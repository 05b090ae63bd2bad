"""Pure text rules for signs: ``{placeholders}``, rendering, and plain text from attendee input.

Placeholders are ``{name}`` with a lower-case name; rendering is a plain substitution (never
``str.format``), so a template or a parameter cannot reach Python attributes. Any other brace is
shown as written.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]{0,39})\}")
LANGUAGE = re.compile(r"^[a-z]{2}$")
_SPACES = re.compile(r"\s+")
# control, surrogate, private-use and unassigned code points; format characters (Cf) stay, since
# Devanagari and Gujarati need the zero-width joiners
_INVISIBLE = {"Cc", "Cs", "Co", "Cn"}


def placeholders(*bodies: str) -> list[str]:
    """Placeholder names used in the bodies, in order of first use."""
    seen: dict[str, None] = {}
    for body in bodies:
        for name in PLACEHOLDER.findall(body):
            seen.setdefault(name)
    return list(seen)


def render(body: str, params: dict[str, str]) -> str:
    """Fill every placeholder from ``params`` (all must be present)."""
    return PLACEHOLDER.sub(lambda m: params[m.group(1)], body)


def render_all(body: str, translations: dict[str, str], params: dict[str, str]) -> dict[str, str]:
    """The text in English and in every translated language: {"en": …, "hi": …}."""
    texts = {"en": render(body, params)}
    texts.update({lang: render(text, params) for lang, text in sorted(translations.items())})
    return texts


class _TextOnly(HTMLParser):
    """Collect the text of a fragment; script and style content is dropped."""

    HIDDEN = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in {"br", "p", "div", "li"}:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def plain_text(raw: str) -> str:
    """Strip markup and control characters, collapse white space (what a sign may show)."""
    parser = _TextOnly()
    parser.feed(raw)
    parser.close()
    joined = "".join(parser.parts)
    visible = "".join(" " if unicodedata.category(ch) in _INVISIBLE else ch for ch in joined)
    return _SPACES.sub(" ", visible).strip()


def param_text(value) -> str:
    """A parameter value as the text a sign shows."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return plain_text(str(value))
