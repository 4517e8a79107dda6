"""SSRF guard for seller-entered webhook URLs: http(s) only, no credentials, and every address the host resolves to
must be publicly routable unless private targets are allowed (on-premises receivers, tests).

`subscribe_alerts` checks at subscription time; `WebhookSender` resolves again at each delivery and connects to the
address it checked (so a DNS answer that changes in between cannot point the request at an internal host).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from xborder.kernel import ErrorDetail, ValidationFailed

__all__ = ["UnsafeWebhookTarget", "WebhookTarget", "check_webhook_url", "forbidden_reason",
           "resolve_webhook_target"]

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., Sequence[tuple[Any, ...]]]  # socket.getaddrinfo's shape

# The NAT64 well-known prefix (RFC 6052) embeds an IPv4 address in its last 32 bits.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
ALLOW_HINT = "set XBORDER_ALERTS__ALLOW_PRIVATE_WEBHOOKS=true to allow private receivers (on-premises installs)"


class UnsafeWebhookTarget(ValidationFailed):
    """A webhook URL the server refuses to call; `details` name the field and why."""

    code = "compliance.unsafe_webhook_target"


@dataclass(frozen=True)
class WebhookTarget:
    """A checked URL: its parts and the addresses the host resolved to (empty when it did not resolve)."""

    url: str
    scheme: str
    host: str
    port: int
    path: str  # path + query, what goes on the request line
    addresses: tuple[str, ...]


def _refuse(message: str, field: str) -> UnsafeWebhookTarget:
    return UnsafeWebhookTarget(f"{field}: {message}", details=[
        ErrorDetail(message, field=field, code=UnsafeWebhookTarget.code)])


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client address
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip))
    return None


def forbidden_reason(address: IpAddress | str) -> str | None:
    """Why the server must not call this address ("loopback", "private"...), or None for a public address.

    An IPv6 address embedding an IPv4 one (mapped, 6to4, Teredo, NAT64, compatible) is judged by the IPv4 address.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = forbidden_reason(inner)
            return f"{reason} (IPv4 {inner} inside IPv6)" if reason else None
    for reason, flagged in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                            ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                            ("reserved", ip.is_reserved), ("private", ip.is_private),
                            ("site-local", isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)):
        if flagged:
            return reason
    if not ip.is_global:  # e.g. 100.64.0.0/10 shared address space, documentation ranges
        return "not publicly routable"
    return None


def check_webhook_url(url: str, *, field: str = "target") -> WebhookTarget:
    """Parse and check the URL's form only (scheme, credentials, host, port); no DNS.

    Raises:
        UnsafeWebhookTarget: naming `field`.
    """
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise _refuse("a webhook target is an http(s) URL without spaces or control characters", field)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _refuse(f"scheme {parts.scheme or '(none)'!r} is not allowed; use an https:// (or http://) URL",
                      field)
    if "@" in parts.netloc:
        raise _refuse("credentials in the URL are not allowed; authenticate with the signing secret instead",
                      field)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise _refuse("the URL has no host", field)
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise _refuse("the URL's port is not a number between 0 and 65535", field) from None
    if port == 0:
        raise _refuse("port 0 is not a valid destination", field)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return WebhookTarget(url=url, scheme=scheme, host=host, port=port, path=path, addresses=())


def resolve_webhook_target(url: str, *, allow_private: bool = False, field: str = "target",
                           resolver: Resolver = socket.getaddrinfo, require_resolution: bool = True
                           ) -> WebhookTarget:
    """Check the URL and the addresses its host resolves to; returns them for the caller to connect to.

    With `require_resolution=False` (subscription time) a host that does not resolve yet is accepted: it is
    resolved and checked again before every delivery. Any forbidden address in the answer refuses the whole URL.

    Raises:
        UnsafeWebhookTarget: bad form, a forbidden address, or (when required) a host that does not resolve.
    """
    target = check_webhook_url(url, field=field)
    try:
        literal: IpAddress | None = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[str] = [str(literal)]
    else:
        try:
            answers = resolver(target.host, target.port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            if require_resolution:
                raise _refuse(f"host {target.host!r} does not resolve ({exc})", field) from None
            return target
        addresses = list(dict.fromkeys(str(a[4][0]).split("%", 1)[0] for a in answers))
        if not addresses:
            if require_resolution:
                raise _refuse(f"host {target.host!r} has no address", field)
            return target
    if not allow_private:
        for address in addresses:
            reason = forbidden_reason(address)
            if reason:
                shown = target.host if literal is not None else f"{target.host} resolves to {address}, which"
                raise _refuse(f"{shown} is a {reason} address; webhooks must reach a public address "
                              f"({ALLOW_HINT})", field)
    return WebhookTarget(url=url, scheme=target.scheme, host=target.host, port=target.port, path=target.path,
                         addresses=tuple(addresses))
