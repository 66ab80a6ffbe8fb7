"""Text written by people (names, notes, rationales) or carried by a form (which may arrive embedded in an
imported record) is escaped before it is placed in Qt rich text: a note that says "weight < 2nd centile"
must show whole, and a hostile record must not restyle, hide or fake what a meeting sees."""

from __future__ import annotations

import html


def esc(text: object) -> str:
    """`text` as literal rich text: markup characters escaped, line breaks kept."""
    return html.escape(str(text), quote=False).replace("\r\n", "\n").replace("\n", "<br>")
