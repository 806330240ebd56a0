"""What a person types as an email address or phone number, checked and put in the form servers use.

Pure functions, no I/O and no Qt. A problem raises ``InvalidInput`` with a ``problem`` the page turns into
words beside the field, before anything is sent: the server's own answers to malformed input differ by
server (Synapse says ``M_BAD_JSON`` for an email it cannot parse) and cost a round trip.

``phonenumbers`` (the ``phonenumberslite`` distribution: no geocoding data) is imported inside the functions
that need it, so a person who never opens the phone form never pays for loading it.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass

MEDIUM_EMAIL = "email"
MEDIUM_MSISDN = "msisdn"


class InputProblem(enum.Enum):
    EMPTY = enum.auto()
    NOT_AN_EMAIL = enum.auto()
    NOT_A_NUMBER = enum.auto()
    NEEDS_COUNTRY = enum.auto()  # no country chosen and the number does not start with +
    TOO_SHORT = enum.auto()
    TOO_LONG = enum.auto()
    UNKNOWN_COUNTRY_CODE = enum.auto()


class InvalidInput(ValueError):
    """What was typed is not an address of the kind asked for. Never holds the text itself.

    A ``ValueError``, not an ``MxError``: the forms catch it and say the problem on the field themselves,
    before any task starts, so it never reaches ``describe``.
    """

    def __init__(self, problem: InputProblem) -> None:
        super().__init__(f"invalid input: {problem.name.lower()}")
        self.problem = problem


# One @; a local part without spaces; a domain of dot-separated labels (letters of any script, digits,
# inner hyphens) with at least one dot. Stricter checks belong to the server, which mails the address.
_EMAIL = re.compile(
    r"^[^\s@]{1,64}@(?=.{1,253}$)(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_][^\W_]{0,62}$", re.UNICODE
)


def canonical_email(text: str) -> str:
    """The address as servers store it: trimmed, local part case-folded, domain lower-cased.

    That is Synapse's ``canonicalise_email`` and the spec's canonical form, so the address shown while
    waiting is the one the server lists afterwards.
    """
    address = text.strip()
    if not address:
        raise InvalidInput(InputProblem.EMPTY)
    if not _EMAIL.match(address):
        raise InvalidInput(InputProblem.NOT_AN_EMAIL)
    local, _, domain = address.rpartition("@")
    return f"{local.casefold()}@{domain.lower()}"


@dataclass(frozen=True)
class PhoneNumber:
    """A parsed number: ``msisdn`` is the E.164 digits without ``+`` (what servers list), ``country`` the
    ISO 3166 region and ``national`` the national significant number (what requestToken is sent)."""

    msisdn: str
    country: str
    national: str

    @property
    def display(self) -> str:
        return format_msisdn(self.msisdn)


def parse_phone(text: str, country: str | None) -> PhoneNumber:
    """Read ``text`` as a number in ``country`` (an ISO region such as ``DE``), unless it starts with ``+``.

    Only impossible numbers (wrong length, unknown country code, not digits) are refused: the metadata
    lags behind new number ranges, and the server is the judge of the rest.
    """
    import phonenumbers

    if not text.strip():
        raise InvalidInput(InputProblem.EMPTY)
    region = country.upper() if country else None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        international = text.strip().startswith("+") or region is not None
        raise InvalidInput(_parse_problem(exc.error_type, international=international)) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise InvalidInput(_possibility_problem(reason))
    found = phonenumbers.region_code_for_number(number)
    if not found or found == phonenumbers.UNKNOWN_REGION:
        # A possible number outside any known range: keep the country the user chose, or the calling
        # code's main region.
        found = region or phonenumbers.region_code_for_country_code(number.country_code or 0)
    if not found or found == phonenumbers.UNKNOWN_REGION:
        raise InvalidInput(InputProblem.UNKNOWN_COUNTRY_CODE)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return PhoneNumber(
        msisdn=e164.lstrip("+"), country=found, national=phonenumbers.national_significant_number(number)
    )


def _parse_problem(error_type: int, *, international: bool) -> InputProblem:
    import phonenumbers

    errors = phonenumbers.NumberParseException
    if error_type == errors.INVALID_COUNTRY_CODE:
        # Without a + and a country there is nothing to read a calling code from.
        return InputProblem.UNKNOWN_COUNTRY_CODE if international else InputProblem.NEEDS_COUNTRY
    if error_type in (errors.TOO_SHORT_NSN, errors.TOO_SHORT_AFTER_IDD):
        return InputProblem.TOO_SHORT
    if error_type == errors.TOO_LONG:
        return InputProblem.TOO_LONG
    return InputProblem.NOT_A_NUMBER


def _possibility_problem(reason: int) -> InputProblem:
    import phonenumbers

    results = phonenumbers.ValidationResult
    if reason == results.INVALID_COUNTRY_CODE:
        return InputProblem.UNKNOWN_COUNTRY_CODE
    if reason == results.TOO_LONG:
        return InputProblem.TOO_LONG
    return InputProblem.TOO_SHORT  # TOO_SHORT, INVALID_LENGTH and IS_POSSIBLE_LOCAL_ONLY: digits missing


def format_msisdn(msisdn: str) -> str:
    """``4915123456789`` as ``+49 1512 3456789``; anything unparseable as ``+`` and the digits."""
    import phonenumbers

    try:
        number = phonenumbers.parse("+" + msisdn, None)
    except phonenumbers.NumberParseException:
        return "+" + msisdn
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@functools.cache
def calling_codes() -> dict[str, int]:
    """Every region ``phonenumbers`` knows, with its calling code: ``{"DE": 49, ...}``.

    Read from the library's code-to-regions table, which is loaded with it: asking for each region's code
    loads every region's metadata module (a few dozen milliseconds on the GUI thread, when the country picker
    first fills).
    """
    import phonenumbers

    return {
        region: code
        for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items()
        for region in regions
        if region in phonenumbers.SUPPORTED_REGIONS
    }


def calling_code(region: str) -> int:
    """The calling code of one region (``49`` for ``DE``), 0 when unknown."""
    return calling_codes().get(region.upper(), 0)
