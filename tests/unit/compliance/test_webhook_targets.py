"""SSRF guard: which webhook URLs and resolved addresses the server refuses to call (pure, fake DNS)."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xborder.compliance import UnsafeWebhookTarget, forbidden_reason, resolve_webhook_target
from xborder.compliance.webhook_targets import check_webhook_url


def fake_dns(*addresses: str):
    def resolve(host: str, port: int, **_: object) -> list[tuple]:
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]
    return resolve


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"), ("127.10.0.1", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.10", "private"), ("fd00::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
    ("100.64.0.1", "not publicly routable"), ("192.0.2.1", "private"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"), ("::ffff:169.254.169.254", "link-local"),
    ("2002:7f00:1::", "loopback"),          # 6to4 around 127.0.0.1
    ("64:ff9b::a00:1", "private"),          # NAT64 around 10.0.0.1
    ("fec0::1", "site-local"),
])
def test_forbidden_addresses_are_named(address: str, reason: str) -> None:
    found = forbidden_reason(address)
    assert found is not None and found.startswith(reason)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert forbidden_reason(address) is None


@given(st.ip_addresses(v=4))
def test_ipv4_mapped_is_judged_like_ipv4(ip: ipaddress.IPv4Address) -> None:
    mapped = ipaddress.IPv6Address(f"::ffff:{ip}")
    assert (forbidden_reason(mapped) is None) == (forbidden_reason(ip) is None)


@pytest.mark.parametrize(("url", "words"), [
    ("ftp://hooks.example.com/x", "scheme 'ftp'"),
    ("file:///etc/passwd", "scheme 'file'"),
    ("gopher://hooks.example.com/", "scheme"),
    ("hooks.example.com/x", "scheme"),
    ("https://user:pw@hooks.example.com/x", "credentials"),
    ("https://token@hooks.example.com/x", "credentials"),
    ("https:///x", "no host"),
    ("https://hooks.example.com:99999/x", "port"),
    ("https://hooks.example.com/x y", "spaces"),
    ("https://hooks.example.com/\r\nX-Injected: 1", "control"),
])
def test_bad_form_is_refused_naming_the_field(url: str, words: str) -> None:
    with pytest.raises(UnsafeWebhookTarget) as caught:
        check_webhook_url(url)
    assert caught.value.details[0].field == "target" and words in caught.value.details[0].message
    assert caught.value.code == "compliance.unsafe_webhook_target"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/x", "http://[::1]/x", "http://[::ffff:127.0.0.1]/x",
                                 "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/",
                                 "http://10.0.0.8/hook", "https://[fe80::1]/"])
def test_literal_private_addresses_are_refused_without_dns(url: str) -> None:
    with pytest.raises(UnsafeWebhookTarget) as caught:
        resolve_webhook_target(url, resolver=fake_dns())  # the resolver would fail: literals never reach it
    assert "XBORDER_ALERTS__ALLOW_PRIVATE_WEBHOOKS" in caught.value.details[0].message


def test_hostname_resolving_to_any_private_address_is_refused() -> None:
    with pytest.raises(UnsafeWebhookTarget, match=r"hooks\.example\.com resolves to 10\.0\.0\.5, which is a private"):
        resolve_webhook_target("https://hooks.example.com/x", resolver=fake_dns("93.184.215.14", "10.0.0.5"))


def test_public_hostname_returns_the_addresses_to_connect_to() -> None:
    target = resolve_webhook_target("https://Hooks.Example.com./in?a=1", resolver=fake_dns("93.184.215.14"))
    assert (target.scheme, target.host, target.port, target.path) == ("https", "hooks.example.com", 443, "/in?a=1")
    assert target.addresses == ("93.184.215.14",)


def test_allow_private_lets_on_premises_targets_through() -> None:
    target = resolve_webhook_target("http://erp.local:8080/hook", allow_private=True, resolver=fake_dns("10.0.0.5"))
    assert target.addresses == ("10.0.0.5",) and target.port == 8080
    # form rules still apply with private targets allowed
    with pytest.raises(UnsafeWebhookTarget):
        resolve_webhook_target("ftp://10.0.0.5/x", allow_private=True)


def test_unresolvable_host_accepted_only_when_resolution_is_optional() -> None:
    assert resolve_webhook_target("https://not-yet.example/x", resolver=fake_dns(),
                                  require_resolution=False).addresses == ()
    with pytest.raises(UnsafeWebhookTarget, match="does not resolve"):
        resolve_webhook_target("https://not-yet.example/x", resolver=fake_dns())
