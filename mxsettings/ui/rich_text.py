"""Plain text made safe inside the few rich-text labels the app builds (the Close account tab).

``html.escape`` does the same, but importing ``html`` loads ``html.entities``: four tables of the 2,000-odd
named entities, about 1 MB resident for the life of the app (``make bench``), of which escaping needs none.
"""

from __future__ import annotations

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(text: str) -> str:
    """``text`` as HTML character data or attribute value: exactly what ``html.escape(text)`` returns."""
    return text.translate(_ESCAPES)
