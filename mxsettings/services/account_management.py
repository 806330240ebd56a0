"""The server's account page, for servers that delegate authentication (spec v1.18, MSC4191). Qt-free.

The page is ``account_management_uri``, optionally with ``?action=...``; an action is used only when the
server lists it in ``account_management_actions_supported`` (MAS, for instance, does not list
``org.matrix.account_deactivate``: then the bare page is the way). There is no action for passwords.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mxsettings.api.models import AuthMetadata

PROFILE = "org.matrix.profile"
DEVICES_LIST = "org.matrix.devices_list"
ACCOUNT_DEACTIVATE = "org.matrix.account_deactivate"


def account_page_url(metadata: AuthMetadata | None, action: str | None = None) -> str | None:
    """The URL to open, or None when the server gives no account page."""
    if metadata is None or not metadata.account_management_uri:
        return None
    uri = metadata.account_management_uri
    if action is None or action not in metadata.account_management_actions:
        return uri
    parts = urlsplit(uri)
    query = [*parse_qsl(parts.query, keep_blank_values=True), ("action", action)]
    return urlunsplit(parts._replace(query=urlencode(query)))
