"""What a person types as an email address or phone number, checked before anything is sent."""

from __future__ import annotations

import pytest

from mxsettings.services.contact_input import (
    InputProblem,
    InvalidInput,
    calling_code,
    calling_codes,
    canonical_email,
    format_msisdn,
    parse_phone,
)
from tests.fresh_python import run_fresh


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("alice@example.org", "alice@example.org"),
        ("  Alice.B@Example.ORG ", "alice.b@example.org"),
        ("Strauß@Bücher.de", "strauss@bücher.de"),  # case-folded like Synapse's canonicalise_email
        ("x+tag@sub.example.test", "x+tag@sub.example.test"),
    ],
)
def test_addresses_are_put_in_the_servers_canonical_form(typed: str, canonical: str) -> None:
    assert canonical_email(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", InputProblem.EMPTY),
        ("   ", InputProblem.EMPTY),
        ("alice", InputProblem.NOT_AN_EMAIL),
        ("alice@localhost", InputProblem.NOT_AN_EMAIL),
        ("a b@example.org", InputProblem.NOT_AN_EMAIL),
        ("a@@example.org", InputProblem.NOT_AN_EMAIL),
        ("a@-example.org", InputProblem.NOT_AN_EMAIL),
        ("a@example.1", InputProblem.NOT_AN_EMAIL),
    ],
)
def test_malformed_addresses_are_refused(typed: str, problem: InputProblem) -> None:
    with pytest.raises(InvalidInput) as caught:
        canonical_email(typed)
    assert caught.value.problem is problem
    assert typed.strip() == "" or typed not in str(caught.value)  # the text itself is never in the error


@pytest.mark.parametrize(
    ("typed", "country", "msisdn", "region", "national"),
    [
        ("01512 3456789", "DE", "4915123456789", "DE", "15123456789"),
        ("+49 1512 3456789", None, "4915123456789", "DE", "15123456789"),
        ("+1 (415) 555-0132", "DE", "14155550132", "US", "4155550132"),  # a + number names its own country
        ("+44 7700 900123", None, "447700900123", "GB", "7700900123"),  # possible, outside known ranges
    ],
)
def test_numbers_become_msisdn_digits(
    typed: str, country: str | None, msisdn: str, region: str, national: str
) -> None:
    number = parse_phone(typed, country)
    assert (number.msisdn, number.country, number.national) == (msisdn, region, national)


@pytest.mark.parametrize(
    ("typed", "country", "problem"),
    [
        ("", "DE", InputProblem.EMPTY),
        ("call me", "DE", InputProblem.NOT_A_NUMBER),
        ("01512 3456789", None, InputProblem.NEEDS_COUNTRY),
        ("+999 123456", None, InputProblem.UNKNOWN_COUNTRY_CODE),
        ("12", "DE", InputProblem.TOO_SHORT),
        ("0151234567890123456", "DE", InputProblem.TOO_LONG),
    ],
)
def test_impossible_numbers_are_refused(typed: str, country: str | None, problem: InputProblem) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_phone(typed, country)
    assert caught.value.problem is problem


def test_msisdns_are_shown_in_international_form() -> None:
    assert format_msisdn("4915123456789") == "+49 1512 3456789"
    assert format_msisdn("999") == "+999"
    assert calling_code("de") == 49
    assert calling_code("XX") == 0


def test_the_contact_services_load_neither_qt_nor_phonenumbers() -> None:
    code = (
        "import sys\n"
        "import mxsettings.services.contacts, mxsettings.services.contact_input, mxsettings.store.pending\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'qasync', 'phonenumbers'))))\n"
    )
    assert run_fresh(code) == ""


def test_calling_codes_agree_with_each_regions_own_metadata() -> None:
    import phonenumbers

    expected = {r: phonenumbers.country_code_for_region(r) for r in phonenumbers.SUPPORTED_REGIONS}
    assert calling_codes() == expected
    assert (calling_code("de"), calling_code("XX")) == (49, 0)


def test_the_calling_codes_load_no_regions_metadata() -> None:
    # Filling the country picker must not import a metadata module per region on the GUI thread.
    code = (
        "import sys\n"
        "from mxsettings.services.contact_input import calling_codes\n"
        "calling_codes()\n"
        "print(sum(1 for m in sys.modules if m.startswith('phonenumbers.data.region_')))\n"
    )
    assert run_fresh(code) == "0"
