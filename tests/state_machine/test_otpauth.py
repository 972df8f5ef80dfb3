"""The otpauth:// URI behind the TOTP setup QR code."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
from nicegui_authenticator.state_machine import totp_uri

SECRET = "Y7OGGSCSPBEQLOEN6BPUODDV64RPNBI7"  # the recorded totpSetup secret


def test_the_plain_case() -> None:
    assert totp_uri(SECRET, "frank-8e673b-c26d", "Acme") == (
        "otpauth://totp/Acme:frank-8e673b-c26d?secret=Y7OGGSCSPBEQLOEN6BPUODDV64RPNBI7&issuer=Acme"
    )


@pytest.mark.parametrize(
    ("issuer", "username", "label"),
    [
        ("Acme Corp", "alice smith", "Acme%20Corp:alice%20smith"),
        ("Acme:Prod", "a:b", "Acme%3AProd:a%3Ab"),  # a colon inside a part cannot split the label
        ("Ünïcødé", "用户", "%C3%9Cn%C3%AFc%C3%B8d%C3%A9:%E7%94%A8%E6%88%B7"),
        ("Acme", "hana@example.com", "Acme:hana@example.com"),  # '@' stays readable
        ("A&B/C?", "x#y%z", "A%26B%2FC%3F:x%23y%25z"),
    ],
)
def test_issuer_and_username_are_percent_encoded(issuer: str, username: str, label: str) -> None:
    uri = totp_uri(SECRET, username, issuer)
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert parts.path == "/" + label
    # urllib reads it back: the label's two halves and the issuer parameter agree.
    issuer_part, _, account = parts.path[1:].partition(":")
    assert (unquote(issuer_part), unquote(account)) == (issuer, username)
    query = parse_qs(parts.query, strict_parsing=True)
    assert query == {"secret": [SECRET], "issuer": [issuer]}
    # And so does pyotp, which authenticator apps agree with.
    totp = pyotp.parse_uri(uri)
    assert isinstance(totp, pyotp.TOTP)
    assert (totp.secret, totp.name, totp.issuer) == (SECRET, username, issuer)


@pytest.mark.parametrize(
    "secret",
    [
        "y7og gscs pbeq loen 6bpu oddv 64rp nbi7",
        " Y7OGGSCSPBEQLOEN6BPUODDV64RPNBI7== ",
        "Y7OGGSCS\tPBEQLOEN\n6BPUODDV64RPNBI7",
    ],
)
def test_the_secret_is_normalised(secret: str) -> None:
    totp = pyotp.parse_uri(totp_uri(secret, "frank", "Acme"))
    assert totp.secret == SECRET
    # The code an app computes from the QR equals the code from the server's secret.
    assert totp.at(1_795_306_810) == pyotp.TOTP(SECRET).at(1_795_306_810)


def test_without_an_issuer_the_label_is_the_username_alone() -> None:
    uri = totp_uri(SECRET, "frank", "")
    assert uri == f"otpauth://totp/frank?secret={SECRET}"
    assert pyotp.parse_uri(uri).name == "frank"


def test_non_default_digits_and_period_are_stated() -> None:
    uri = totp_uri(SECRET, "frank", "Acme", digits=8, period=60)
    assert uri.endswith("&digits=8&period=60")
    totp = pyotp.parse_uri(uri)
    assert isinstance(totp, pyotp.TOTP) and (totp.digits, totp.interval) == (8, 60)
