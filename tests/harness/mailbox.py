"""Read the mail captured by ``smtp_sink.py`` (one ``NNNN.eml`` file per message)."""

from __future__ import annotations

import email
import email.policy
import html
import re
import time
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

_EML_NAME = re.compile(r"^\d+\.eml$")
_SUBMIT_TOKEN_LINK = re.compile(r"https?://[^\s\"'<>]*submit_token[^\s\"'<>]*")


class Mailbox:
    """The messages written by one SMTP sink into ``directory``, oldest first."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def _files(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(p for p in self.directory.iterdir() if _EML_NAME.match(p.name))

    def count(self) -> int:
        """How many messages there are now; pass it as ``since_count`` to wait for a *new* one."""
        return len(self._files())

    def messages(self) -> list[EmailMessage]:
        result: list[EmailMessage] = []
        for path in self._files():
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(f, _class=EmailMessage, policy=email.policy.default)
            result.append(msg)
        return result

    def wait_for(self, to: str, since_count: int | None = None, timeout: float = 20.0) -> EmailMessage:
        """The first message addressed to ``to`` among those numbered ``since_count`` and later.

        ``since_count`` is a value of :meth:`count` taken before the action that sends the mail; ``None``
        means "any message, including ones that were already there". Raises :class:`TimeoutError`.
        """
        wanted = to.strip().lower()
        skip = since_count or 0
        deadline = time.monotonic() + timeout
        while True:
            seen: list[str] = []
            for msg in self.messages()[skip:]:
                recipients = recipients_of(msg)
                if wanted in recipients:
                    return msg
                seen.extend(recipients)
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"no mail to {to!r} in {self.directory} within {timeout} s "
                    f"(skipped {skip}; later recipients: {seen or 'none'})"
                )
            time.sleep(0.05)


def recipients_of(msg: EmailMessage) -> list[str]:
    values = [str(v) for header in ("To", "Cc") for v in msg.get_all(header, [])]
    return [addr.lower() for _name, addr in getaddresses(values) if addr]


def _decoded_parts(msg: EmailMessage, subtype: str) -> list[str]:
    texts: list[str] = []
    for part in msg.walk():
        if part.get_content_maintype() != "text" or part.get_content_subtype() != subtype:
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            texts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return texts


def text_body(msg: EmailMessage) -> str:
    """The decoded ``text/plain`` part(s) (the bodies Synapse sends are base64 inside multipart)."""
    return "\n".join(_decoded_parts(msg, "plain"))


def html_body(msg: EmailMessage) -> str:
    return "\n".join(_decoded_parts(msg, "html"))


def validation_link(msg: EmailMessage) -> str:
    """The ``...submit_token?token=..&client_secret=..&sid=..`` link in the message.

    Looks in the text part first, then in the HTML part (where ``&amp;`` is unescaped).
    """
    for match in _SUBMIT_TOKEN_LINK.finditer(text_body(msg)):
        return match.group(0)
    for match in _SUBMIT_TOKEN_LINK.finditer(html_body(msg)):
        return html.unescape(match.group(0))
    raise ValueError(f"no submit_token link in message {msg['Subject']!r} to {msg['To']!r}")
