"""The app's own HTML escaping gives what html.escape gives, for any text (ui/rich_text.py)."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from mxsettings.ui.rich_text import escape


@given(st.text())
def test_escaping_matches_the_standard_library(text: str) -> None:
    assert escape(text) == html.escape(text)


def test_markup_in_a_user_id_stays_text() -> None:
    assert escape("@<b onclick=\"x\">&'eve':example.org") == (
        "@&lt;b onclick=&quot;x&quot;&gt;&amp;&#x27;eve&#x27;:example.org"
    )
