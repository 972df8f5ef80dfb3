"""CookieSession keeps cookies as a browser does (RFC 6265 / 6265bis), against a fake clock."""

from __future__ import annotations

import json
from email.utils import formatdate
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any
from urllib.request import Request

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nicegui_authenticator.client import CookieSession
from nicegui_authenticator.client.cookies import MAX_COOKIES, MAX_LIFETIME

API = "http://127.0.0.1:4711/aws-blocks/api"
HTTPS_API = "https://app.example.com/aws-blocks/api"
T0 = 1_800_000_000.0


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def jar(clock: Clock) -> CookieSession:
    return CookieSession(clock=clock)


def saved_cookies(jar: CookieSession) -> list[dict[str, Any]]:
    cookies: list[dict[str, Any]] = json.loads(json.dumps(jar.to_json()))["cookies"]
    return cookies


def http_date(seconds: float) -> str:
    return formatdate(seconds, usegmt=True)


# -- setting, replacing, clearing ----------------------------------------------------


def test_a_cookie_set_by_the_server_is_sent_back(jar: CookieSession) -> None:
    jar.store(API, ["auth=abc; HttpOnly; SameSite=Lax; Path=/"])
    assert jar.header_for(API) == "auth=abc"
    assert jar.names() == ["auth"]


def test_nothing_to_send_is_none(jar: CookieSession) -> None:
    assert jar.header_for(API) is None


def test_a_second_set_cookie_replaces_the_value(jar: CookieSession) -> None:
    jar.store(API, ["auth=one; Path=/"])
    jar.store(API, ["auth=two; Path=/"])
    assert jar.header_for(API) == "auth=two"
    assert len(jar) == 1


def test_max_age_zero_clears_the_cookie(jar: CookieSession) -> None:
    # The recorded sign-out: "auth_peer-basic-auth=; Max-Age=0; Path=/; SameSite=Lax".
    jar.store(API, ["auth_peer-basic-auth=eyJ; HttpOnly; SameSite=Lax; Max-Age=86400; Path=/"])
    jar.store(API, ["auth_peer-basic-auth=; Max-Age=0; Path=/; SameSite=Lax"])
    assert jar.header_for(API) is None
    assert len(jar) == 0


def test_negative_max_age_clears_the_cookie(jar: CookieSession) -> None:
    jar.store(API, ["a=1; Path=/"])
    jar.store(API, ["a=1; Path=/; Max-Age=-1"])
    assert jar.header_for(API) is None


def test_expires_in_the_past_clears_the_cookie(jar: CookieSession, clock: Clock) -> None:
    jar.store(API, ["a=1; Path=/"])
    jar.store(API, [f"a=; Path=/; Expires={http_date(clock.now - 10)}"])
    assert jar.header_for(API) is None
    jar.store(API, ["b=1; Path=/", "b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"])
    assert jar.header_for(API) is None


def test_clearing_needs_the_same_path(jar: CookieSession) -> None:
    jar.store(API, ["a=1; Path=/"])
    jar.store(API, ["a=; Max-Age=0; Path=/other"])
    assert jar.header_for(API) == "a=1"


def test_max_age_expires_with_the_clock(jar: CookieSession, clock: Clock) -> None:
    jar.store(API, ["bridge=x; Path=/; Max-Age=900"])  # the autosignin bridge cookie
    clock.now += 899
    assert jar.header_for(API) == "bridge=x"
    clock.now += 1
    assert jar.header_for(API) is None
    assert jar.names() == []


def test_expires_date_expires_with_the_clock(jar: CookieSession, clock: Clock) -> None:
    jar.store(API, [f"a=1; Path=/; Expires={http_date(clock.now + 60)}"])
    clock.now += 59
    assert jar.header_for(API) == "a=1"
    clock.now += 2
    assert jar.header_for(API) is None


def test_max_age_wins_over_expires_in_either_order(jar: CookieSession, clock: Clock) -> None:
    past, future = http_date(clock.now - 3600), http_date(clock.now + 3600)
    jar.store(API, [f"a=1; Expires={past}; Max-Age=60; Path=/", f"b=1; Max-Age=60; Expires={past}; Path=/"])
    jar.store(API, [f"c=1; Expires={future}; Max-Age=0; Path=/"])
    assert jar.header_for(API) == "a=1; b=1"


def test_lifetime_is_capped_at_400_days(jar: CookieSession, clock: Clock) -> None:
    jar.store(
        API, ["a=1; Path=/; Max-Age=999999999999999999999999", f"b=1; Path=/; Expires={http_date(4e9)}"]
    )
    clock.now += MAX_LIFETIME - 1
    assert jar.header_for(API) == "a=1; b=1"
    clock.now += 2
    assert jar.header_for(API) is None


def test_session_cookies_without_expiry_stay(jar: CookieSession, clock: Clock) -> None:
    jar.store(API, ["a=1; Path=/"])
    clock.now += 10 * 365 * 86400
    assert jar.header_for(API) == "a=1"


def test_malformed_attributes_are_ignored_not_fatal(jar: CookieSession) -> None:
    jar.store(API, ["a=1; Max-Age=soon; Expires=someday; Path=/; Domain="])
    assert jar.header_for(API) == "a=1"


@pytest.mark.parametrize("line", ["novalue", "=value; Path=/", "  ; Path=/", ""])
def test_lines_without_a_name_are_ignored(jar: CookieSession, line: str) -> None:
    jar.store(API, [line])
    assert len(jar) == 0


def test_values_are_kept_verbatim(jar: CookieSession) -> None:
    jar.store(API, ['q="quoted value"; Path=/', "eq=a=b=c; Path=/"])
    assert jar.header_for(API) == 'q="quoted value"; eq=a=b=c'


def test_cookies_set_by_get_auth_state_count_like_any_other(jar: CookieSession) -> None:
    # The jar does not care which call set a cookie: the transport stores every reply's Set-Cookie.
    jar.store(API, ["stale=1; Path=/"])
    jar.store(API, ["stale=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0"])
    assert len(jar) == 0


# -- where a cookie is sent: path, host, domain, scheme ------------------------------


def test_path_matching(jar: CookieSession) -> None:
    jar.store("http://h.example.com/", ["docs=1; Path=/docs"])
    assert jar.header_for("http://h.example.com/docs") == "docs=1"
    assert jar.header_for("http://h.example.com/docs/web") == "docs=1"
    assert jar.header_for("http://h.example.com/docsets") is None
    assert jar.header_for("http://h.example.com/") is None


def test_default_path_is_the_request_directory(jar: CookieSession) -> None:
    jar.store(API, ["a=1"])
    assert saved_cookies(jar)[0]["path"] == "/aws-blocks"
    assert jar.header_for("http://127.0.0.1:4711/aws-blocks/other") == "a=1"
    assert jar.header_for("http://127.0.0.1:4711/else") is None
    jar.store("http://127.0.0.1/api", ["b=1; Path=relative"])
    assert jar.header_for("http://127.0.0.1/") == "b=1"


def test_longer_paths_are_sent_first(jar: CookieSession) -> None:
    jar.store(API, ["a=root; Path=/", "a=deep; Path=/aws-blocks/api", "b=mid; Path=/aws-blocks"])
    assert jar.header_for(API) == "a=deep; b=mid; a=root"


def test_the_port_does_not_matter(jar: CookieSession) -> None:
    jar.store("http://127.0.0.1:1111/api", ["a=1; Path=/"])
    assert jar.header_for("http://127.0.0.1:2222/api") == "a=1"


def test_a_cookie_without_domain_is_host_only(jar: CookieSession) -> None:
    jar.store("https://app.example.com/api", ["a=1; Path=/; Secure"])
    assert jar.header_for("https://app.example.com/x") == "a=1"
    assert jar.header_for("https://APP.example.com/x") == "a=1"
    assert jar.header_for("https://sub.app.example.com/x") is None
    assert jar.header_for("https://example.com/x") is None


def test_a_domain_cookie_reaches_the_domain_and_its_subdomains(jar: CookieSession) -> None:
    jar.store("https://app.example.com/api", ["a=1; Path=/; Domain=.Example.com"])
    for url in ("https://example.com/", "https://app.example.com/", "https://deep.sub.example.com/"):
        assert jar.header_for(url) == "a=1", url
    assert jar.header_for("https://otherexample.com/") is None
    assert jar.header_for("https://example.org/") is None


def test_domain_equal_to_the_host_also_reaches_subdomains(jar: CookieSession) -> None:
    jar.store("https://app.example.com/", ["a=1; Path=/; Domain=app.example.com"])
    assert jar.header_for("https://sub.app.example.com/") == "a=1"


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://app.example.com/", "evil.com"),  # not a parent of the host
        ("https://app.example.com/", "sub.app.example.com"),  # a child, not a parent
        ("https://app.example.com/", "com"),  # a top-level domain
        ("http://127.0.0.1/", "0.0.1"),  # IP addresses have no parent domains
    ],
)
def test_a_domain_that_does_not_cover_the_host_is_refused(jar: CookieSession, url: str, domain: str) -> None:
    jar.store(url, [f"a=1; Path=/; Domain={domain}"])
    assert len(jar) == 0


def test_an_ip_host_with_its_own_domain_stays_host_only(jar: CookieSession) -> None:
    jar.store("http://127.0.0.1/", ["a=1; Path=/; Domain=127.0.0.1"])
    assert jar.header_for("http://127.0.0.1/") == "a=1"
    assert jar.header_for("http://x.127.0.0.1/") is None


def test_secure_cookies_travel_only_over_https(jar: CookieSession) -> None:
    jar.store(HTTPS_API, ["s=1; Path=/; Secure", "p=1; Path=/"])
    assert jar.header_for(HTTPS_API) == "s=1; p=1"
    assert jar.header_for("http://app.example.com/aws-blocks/api") == "p=1"


def test_a_secure_cookie_set_over_http_is_refused(
    jar: CookieSession, caplog: pytest.LogCaptureFixture
) -> None:
    # basic_errors_and_protocol_edges step 15: a non-loopback Host makes the server add Secure.
    jar.store(API, ["auth=eyJsecret; HttpOnly; SameSite=Lax; Secure; Max-Age=86400; Path=/"])
    assert len(jar) == 0
    assert "Secure" in caplog.text and "eyJsecret" not in caplog.text


def test_cookie_prefixes_are_enforced(jar: CookieSession) -> None:
    jar.store(
        HTTPS_API,
        [
            "__Secure-ok=1; Secure; Path=/",
            "__Secure-bad=1; Path=/",
            "__Host-ok=1; Secure; Path=/",
            "__Host-nopath=1; Secure; Path=/aws-blocks",
            "__Host-domain=1; Secure; Path=/; Domain=example.com",
        ],
    )
    assert jar.names() == ["__Host-ok", "__Secure-ok"]


# -- limits ------------------------------------------------------------------------------


def test_an_oversized_cookie_is_ignored(jar: CookieSession) -> None:
    jar.store(API, ["big=" + "x" * 4094 + "; Path=/", "fits=" + "x" * 4091 + "; Path=/"])
    assert jar.names() == ["fits"]


def test_at_most_max_cookies_are_kept_oldest_go_first(jar: CookieSession, clock: Clock) -> None:
    for i in range(MAX_COOKIES + 5):
        clock.now += 1
        jar.store(API, [f"c{i}=v; Path=/"])
    assert len(jar) == MAX_COOKIES
    assert "c0" not in jar.names() and f"c{MAX_COOKIES + 4}" in jar.names()


# -- persistence ---------------------------------------------------------------------------


def test_to_json_round_trips_through_json_text(jar: CookieSession, clock: Clock) -> None:
    jar.store(
        HTTPS_API, ["s=1; Secure; HttpOnly; Path=/; Max-Age=60", "d=2; Domain=example.com; Path=/aws-blocks"]
    )
    text = json.dumps(jar.to_json())
    restored = CookieSession.from_json(json.loads(text), clock=clock)
    assert restored.to_json() == jar.to_json()
    assert restored.header_for(HTTPS_API) == jar.header_for(HTTPS_API) == "d=2; s=1"
    assert restored.header_for("https://other.example.com/aws-blocks") == "d=2"
    clock.now += 61
    assert restored.header_for(HTTPS_API) == "d=2"


def test_expired_cookies_are_not_saved_nor_restored(jar: CookieSession, clock: Clock) -> None:
    jar.store(API, ["short=1; Path=/; Max-Age=10", "long=1; Path=/; Max-Age=100"])
    saved = jar.to_json()
    clock.now += 50
    assert CookieSession.from_json(saved, clock=clock).names() == ["long"]
    assert [c["name"] for c in saved_cookies(jar)] == ["long"]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"version": 2, "cookies": []},
        {"version": 1, "cookies": {}},
        {"version": 1, "cookies": ["a=1"]},
        {"version": 1, "cookies": [{"name": "a"}]},
        {
            "version": 1,
            "cookies": [
                {
                    "name": "a",
                    "value": "1",
                    "domain": "h",
                    "hostOnly": "yes",
                    "path": "/",
                    "secure": False,
                    "httpOnly": False,
                    "expires": None,
                    "created": 0,
                }
            ],
        },
        {
            "version": 1,
            "cookies": [
                {
                    "name": "a",
                    "value": "1",
                    "domain": "h",
                    "hostOnly": True,
                    "path": "relative",
                    "secure": False,
                    "httpOnly": False,
                    "expires": None,
                    "created": 0,
                }
            ],
        },
    ],
)
def test_from_json_refuses_anything_else(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="CookieSession"):
        CookieSession.from_json(data)


def test_repr_names_cookies_but_never_shows_values(jar: CookieSession) -> None:
    jar.store(API, ["auth=supersecretvalue; Path=/"])
    assert "auth" in repr(jar) and "supersecretvalue" not in repr(jar)


def test_clear_forgets_everything(jar: CookieSession) -> None:
    jar.store(API, ["a=1; Path=/"])
    jar.clear()
    assert jar.header_for(API) is None


# -- agreement with the standard library where both follow the same rules ----------------

HOSTS = ["example.com", "app.example.com", "x.app.example.com"]
PATHS = ["/", "/a", "/a/b", "/ab"]


class _Response:
    def __init__(self, lines: list[str]) -> None:
        self._lines = lines

    def info(self) -> _Response:
        return self

    def get_all(self, name: str, default: list[str]) -> list[str]:
        return self._lines if name.lower() == "set-cookie" else default


DOMAINS = ["example.com", "app.example.com"]


def _line(name: str, value: str, path: str | None, domain: str | None, max_age: int | None) -> str:
    attributes = [f"Path={path}"] if path else []
    attributes += [f"Domain={domain}"] if domain else []
    attributes += [f"Max-Age={max_age}"] if max_age is not None else []
    return "; ".join([f"{name}={value}", *attributes])


def _exchange_on(host: str) -> st.SearchStrategy[tuple[str, str, str]]:
    # Only Domain values that cover the host: http.cookiejar deletes (Max-Age=0) a
    # cookie of a domain the request host does not belong to, before its policy
    # runs; browsers and CookieSession ignore such a line (tested above).
    covering = [d for d in DOMAINS if host == d or host.endswith("." + d)]
    line = st.builds(
        _line,
        st.sampled_from(["a", "b"]),
        st.sampled_from(["1", "2", "xyz"]),
        st.sampled_from([None, *PATHS]),
        st.sampled_from([None, *covering]),
        st.sampled_from([None, 0, 100]),
    )
    return st.tuples(st.just(host), st.sampled_from(PATHS), line)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(HOSTS).flatmap(_exchange_on), max_size=8))
def test_agrees_with_http_cookiejar_on_what_is_sent(exchanges: list[tuple[str, str, str]]) -> None:
    """Host-only, Domain, Path and Max-Age handling match the stdlib's strict-domain policy."""
    ours = CookieSession()
    policy = DefaultCookiePolicy(strict_ns_domain=DefaultCookiePolicy.DomainStrictNonDomain)
    theirs = CookieJar(policy)
    for host, path, line in exchanges:
        url = f"http://{host}{path}"
        ours.store(url, [line])
        theirs.extract_cookies(_Response([line]), Request(url))  # type: ignore[arg-type]
    for host in HOSTS:
        for path in PATHS:
            url = f"http://{host}{path}"
            request = Request(url)
            theirs.add_cookie_header(request)
            expected = (
                sorted((request.get_header("Cookie") or "").split("; "))
                if request.has_header("Cookie")
                else []
            )
            got = sorted((ours.header_for(url) or "").split("; ")) if ours.header_for(url) else []
            assert got == expected, url
