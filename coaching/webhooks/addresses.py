"""Which webhook URLs may be called: only http(s), no credentials, and (outside tests) only public addresses.

A URL is checked when it is saved and again at every delivery: the host is resolved, every
address it resolves to must be public, and the sender connects to the address checked here, so
a name that resolves elsewhere a moment later (DNS rebinding) cannot point a delivery inward.
``WEBHOOKS_ALLOW_PRIVATE`` (True in the test settings only, for receivers on 127.0.0.1) lifts the
address check, never the URL's shape check.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL_LENGTH = 2000


class UnsafeURL(ValueError):
    """The URL may not be called; the message is for the coach."""


@dataclass(frozen=True)
class Target:
    """Where a delivery goes: the URL's parts and the checked address to connect to."""

    scheme: str
    host: str  # as in the URL (for the Host header and the TLS certificate)
    port: int
    path: str  # path and query, as sent in the request line
    address: str  # the checked IP address


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (tests replace this to play a rebinding DNS server)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(address: IPAddress) -> bool:
    """False for loopback, private, link-local, multicast, reserved, unspecified and other
    non-global addresses, IPv4 and IPv6, including IPv4 addresses mapped into IPv6."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)  # ::ffff:a.b.c.d is a.b.c.d
        embedded = address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None and not is_public(embedded):
            return False
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _parts(url: str) -> SplitResult:
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeURL(f"Use a URL of at most {MAX_URL_LENGTH} characters.")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise UnsafeURL("A URL has no spaces or control characters.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise UnsafeURL("This is not a valid URL.") from exc
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL("Use an http:// or https:// URL.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("Leave credentials out of the URL: verify deliveries with the signing secret instead.")
    if not parts.hostname:
        raise UnsafeURL("The URL needs a host name.")
    if parts.fragment:
        raise UnsafeURL("Leave the #fragment out: it is never sent.")
    return parts


def _checked(host: str, port: int) -> str:
    """The first address of ``host``, once every address it resolves to is allowed."""
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise UnsafeURL(f"The host name {host} does not resolve.") from exc
        if not addresses:
            raise UnsafeURL(f"The host name {host} does not resolve.")
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        for text in addresses:
            if not is_public(ipaddress.ip_address(text.split("%", 1)[0])):
                raise UnsafeURL(
                    f"{host} resolves to {text}, a loopback, private, link-local or reserved address: "
                    "give a public address."
                )
    return addresses[0]


def check_shape(url: str) -> None:
    """Raise ``UnsafeURL`` for a URL of the wrong shape (scheme, credentials, host), without a lookup."""
    _parts(url)


def check_url(url: str) -> None:
    """Raise ``UnsafeURL`` unless ``url`` may be saved as an endpoint."""
    parts = _parts(url)
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return  # any address will do: no need to look the name up before a delivery does
    port = parts.port or (443 if parts.scheme == "https" else 80)
    _checked(parts.hostname or "", port)


def target(url: str) -> Target:
    """Resolve and check ``url`` now, for one delivery; raises ``UnsafeURL``."""
    parts = _parts(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or ""
    address = _checked(host, port)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=parts.scheme, host=host, port=port, path=path, address=address)
