"""The errcode registry: every code the API notes list has its own class, and unknown codes survive."""

from __future__ import annotations

import pytest

from mxsettings import errors
from mxsettings.errors import ERRCODE_CLASSES, MatrixError, Origin, WeakPassword, error_from_body

# Section 7 of the API notes (spec v1.19 codes, identity-server codes and Synapse's extras).
DOCUMENTED_ERRCODES = [
    "M_FORBIDDEN", "M_UNKNOWN_TOKEN", "M_MISSING_TOKEN", "M_USER_LOCKED", "M_USER_SUSPENDED",
    "M_USER_DEACTIVATED", "M_LIMIT_EXCEEDED", "M_WEAK_PASSWORD", "M_PASSWORD_TOO_SHORT",
    "M_PASSWORD_NO_DIGIT", "M_PASSWORD_NO_SYMBOL", "M_PASSWORD_NO_UPPERCASE", "M_PASSWORD_NO_LOWERCASE",
    "M_PASSWORD_IN_DICTIONARY", "M_THREEPID_AUTH_FAILED", "M_THREEPID_IN_USE", "M_THREEPID_NOT_FOUND",
    "M_THREEPID_DENIED", "M_THREEPID_MEDIUM_NOT_SUPPORTED", "M_SERVER_NOT_TRUSTED", "M_INVALID_PARAM",
    "M_MISSING_PARAM", "M_BAD_JSON", "M_NOT_JSON", "M_UNRECOGNIZED", "M_UNAUTHORIZED", "M_TERMS_NOT_SIGNED",
    "M_RESOURCE_LIMIT_EXCEEDED", "M_USER_LIMIT_EXCEEDED", "M_NOT_FOUND", "M_CAPTCHA_NEEDED",
    "M_CAPTCHA_INVALID", "M_APPSERVICE_LOGIN_UNSUPPORTED", "M_INVALID_EMAIL", "M_EMAIL_SEND_ERROR",
    "M_INVALID_ADDRESS", "M_SEND_ERROR", "M_DESTINATION_REJECTED", "M_SESSION_NOT_VALIDATED",
    "M_SESSION_EXPIRED", "M_NO_VALID_SESSION", "M_TOKEN_INCORRECT", "M_INVALID_PEPPER", "M_MISSING_PARAMS",
    "M_UNKNOWN", "M_CONSENT_NOT_GIVEN", "ORG_MATRIX_EXPIRED_ACCOUNT",
    "ORG.MATRIX.MSC3866_USER_AWAITING_APPROVAL",
]  # fmt: skip


@pytest.mark.parametrize("code", DOCUMENTED_ERRCODES)
def test_every_documented_errcode_has_its_own_class(code: str) -> None:
    cls = ERRCODE_CLASSES[code]
    assert cls is not MatrixError
    error = error_from_body(400, {"errcode": code, "error": "text"})
    assert type(error) is cls
    assert error.code == code


def test_registry_has_nothing_undocumented() -> None:
    assert set(ERRCODE_CLASSES) - set(DOCUMENTED_ERRCODES) == {"M_USER_IN_USE"}


@pytest.mark.parametrize("code", [c for c in DOCUMENTED_ERRCODES if c.startswith("M_PASSWORD_")])
def test_synapse_password_policy_codes_are_weak_password(code: str) -> None:
    assert isinstance(error_from_body(400, {"errcode": code}), WeakPassword)


def test_unknown_errcode_keeps_its_code_and_origin() -> None:
    error = error_from_body(
        403, {"errcode": "COM.EXAMPLE_NEW", "error": "x"}, origin=Origin.IDENTITY_SERVER, server="id.example"
    )
    assert type(error) is MatrixError
    assert error.code == "COM.EXAMPLE_NEW"
    assert error.origin is Origin.IDENTITY_SERVER
    assert error.server == "id.example"


def test_registering_a_code_twice_is_refused() -> None:
    with pytest.raises(TypeError):
        type("Dup", (MatrixError,), {"errcode": "M_FORBIDDEN"})


def test_non_string_fields_do_not_break_the_mapping() -> None:
    error = error_from_body(500, {"errcode": 5, "error": ["x"]})
    assert type(error) is MatrixError
    assert error.server_message == ""


def test_limit_exceeded_reads_the_header_case_insensitively() -> None:
    error = error_from_body(429, {"errcode": "M_LIMIT_EXCEEDED"}, headers={"retry-after": "7"})
    assert isinstance(error, errors.LimitExceeded)
    assert error.retry_after == 7.0


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        ({"Retry-After": "12"}, {}, 12.0),
        ({"retry-after": " 3 "}, {"retry_after_ms": 9000}, 3.0),
        ({"Retry-After": "²"}, {"retry_after_ms": 1500}, 1.5),  # a digit to str.isdigit, not to float
        ({"Retry-After": "9" * 5000}, {}, errors.LONGEST_RETRY_AFTER),  # past int()'s digit limit
        ({"Retry-After": "Wed, 21 Oct 99999999999 07:28:00 GMT"}, {}, None),  # a date out of range
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, {}, 0.0),  # already past
        ({}, {"retry_after_ms": float("inf")}, errors.LONGEST_RETRY_AFTER),
        ({}, {"retry_after_ms": 10**400}, errors.LONGEST_RETRY_AFTER),
        ({}, {"retry_after_ms": float("nan")}, None),
        ({}, {"retry_after_ms": True}, None),
    ],
)
def test_retry_after_reads_what_it_can_and_never_exceeds_a_day(
    headers: dict[str, str], body: dict[str, object], expected: float | None
) -> None:
    assert errors.retry_after_seconds(headers, body) == expected
