"""Outbound HTTP: which URLs the CMS may send requests to, and requests that go only there.

Anything the CMS fetches or posts to on someone's say-so (webhook endpoints staff type in, links
in articles a checker follows) must not become a way into the machine's own network: the
loopback interface, private ranges, link-local addresses (cloud metadata services live there),
carrier-grade NAT, multicast and the unspecified address. The rules:

- the scheme is ``https`` (``http`` too where ``OUTBOUND_HTTPS_ONLY`` is off: development and
  tests; production forces it on);
- the host name is resolved once, and *every* address it resolves to must be public (or inside
  ``OUTBOUND_ALLOWED_NETWORKS``, which development and tests set to the loopback networks so a
  receiver on 127.0.0.1 works); cloud metadata addresses are refused even when listed there;
- the request then connects to an address that was checked, sending the URL's host name in the
  ``Host`` header and as the TLS server name (SNI; the certificate is verified against the
  name). A second DNS lookup between the check and the connection, which a rebinding DNS server
  would answer with 127.0.0.1, never happens;
- redirects are not followed unless the caller asks, and then every hop is checked again.

Callers use :func:`check_url` (raises :class:`DestinationRefused`, a ``ValueError`` whose
message is safe to show to staff) for validation, :func:`validate_destination` as a Django
field validator, and :func:`request` to send.

Messages never say more than the person typing the URL already knows: a host name that does not
resolve and one that resolves to a private address get the same answer, so the form is not a
way to probe internal DNS either.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

# Answered on a link-local or private address by cloud providers; refused whatever
# OUTBOUND_ALLOWED_NETWORKS says (AWS/GCP/Azure/OpenStack, AWS ECS task metadata, AWS IPv6,
# Alibaba Cloud, Oracle Cloud).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "169.254.169.123",
        "fd00:ec2::254",
        "100.100.100.200",
        "192.0.0.192",
    )
)
# Not public, though ipaddress' ``is_global`` would let some through or name them differently.
CGNAT = ipaddress.ip_network("100.64.0.0/10")

MAX_URL_LENGTH = 2000
DEFAULT_MAX_BODY_BYTES = 64 * 1024
USER_AGENT = "PracticeCMS/1.0"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class OutboundError(Exception):
    """A request that could not be made. ``str()`` is safe to show to staff and to store."""


class DestinationRefused(OutboundError, ValueError):
    """The URL is not one the CMS may send requests to (scheme, host or address)."""


class DestinationUnreachable(OutboundError):
    """The destination was allowed but the request failed (connection, TLS, timeout)."""


@dataclass(frozen=True)
class Destination:
    """A checked URL: its parts and the addresses it may be reached at."""

    url: str
    scheme: str
    host: str
    port: int
    target: str  # path and query, as sent in the request line
    addresses: tuple[IPAddress, ...]


@dataclass
class Response:
    """An answer: status, headers (lower-cased names), the start of the body, the final URL."""

    status: int
    reason: str
    headers: dict[str, str]
    body: bytes
    url: str
    redirects: list[str] = field(default_factory=list)


def https_only() -> bool:
    return bool(getattr(settings, "OUTBOUND_HTTPS_ONLY", True))


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in getattr(settings, "OUTBOUND_ALLOWED_NETWORKS", [])]


def _unmapped(address: IPAddress) -> IPAddress:
    """An IPv4-mapped or NAT64-free view of ``address`` (``::ffff:127.0.0.1`` is loopback)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address.teredo is not None:
            return address.teredo[1]
    return address


def address_refusal(address: IPAddress) -> str | None:
    """Why ``address`` may not be contacted (a short phrase), or None when it may."""
    plain = _unmapped(address)
    if address in METADATA_ADDRESSES or plain in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if any(plain in network or address in network for network in allowed_networks()):
        return None
    if plain.is_unspecified:
        return "the unspecified address"
    if plain.is_loopback:
        return "a loopback address"
    if plain.is_link_local:
        return "a link-local address"
    if plain.is_multicast:
        return "a multicast address"
    if isinstance(plain, ipaddress.IPv4Address) and plain in CGNAT:
        return "a shared (carrier-grade NAT) address"
    if plain.is_private or plain.is_reserved or not plain.is_global:
        return "a private or reserved address"
    return None


def _parse(url: str) -> tuple[str, str, int, str]:
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        raise DestinationRefused("Enter a URL of at most 2,000 characters.")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise DestinationRefused("The URL must not contain spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise DestinationRefused("This is not a valid URL.") from exc
    scheme = parts.scheme.lower()
    allowed = ("https",) if https_only() else ("https", "http")
    if scheme not in allowed:
        raise DestinationRefused(
            "Only https:// URLs are allowed." if https_only() else "Use an http(s):// URL."
        )
    if parts.username is not None or parts.password is not None:
        raise DestinationRefused("The URL must not contain a user name or password.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise DestinationRefused("The URL needs a host name.")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise DestinationRefused("The host name is not valid.") from exc
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return scheme, host, port or (443 if scheme == "https" else 80), target


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    # Forms browsers and libc accept for IPv4 (127.1, 0x7f.0.0.1, 2130706433): refuse rather
    # than guess what the resolver makes of them.
    if all(part.isdigit() or part.lower().startswith("0x") for part in host.split(".")):
        raise DestinationRefused("Write an IP address in its usual dotted form (e.g. 203.0.113.7).")
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (the one DNS lookup a request makes)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def check_url(url: str) -> Destination:
    """The checked destination of ``url``, resolved once; DestinationRefused when not allowed."""
    scheme, host, port, target = _parse(url)
    literal = _literal(host)
    if literal is not None:
        reason = address_refusal(literal)
        if reason:
            raise DestinationRefused(f"{literal} is {reason}, not a public internet address.")
        addresses = [literal]
    else:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError, ValueError):
            addresses = []
        # One message for "does not resolve" and "resolves to a private address" (see above).
        if not addresses or any(address_refusal(a) for a in addresses):
            raise DestinationRefused(f"{host} does not resolve to a public internet address.")
    return Destination(url, scheme, host, port, target, tuple(addresses))


def validate_destination(url: str) -> None:
    """Django validator form of :func:`check_url`."""
    try:
        check_url(url)
    except DestinationRefused as exc:
        raise ValidationError(str(exc), code="destination_refused") from exc


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a checked address; ``Host`` is still the URL's host name."""

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address

    def connect(self):
        self.sock = socket.create_connection((str(self.pinned_address), self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the URL's host name as SNI and certificate name."""

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self.pinned_address = address
        self.tls_context = context

    def connect(self):
        raw = socket.create_connection((str(self.pinned_address), self.port), self.timeout)
        try:
            self.sock = self.tls_context.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise


def _send_once(
    destination: Destination,
    method: str,
    body: bytes | None,
    headers: dict[str, str],
    timeout: float,
    max_body_bytes: int,
    ssl_context: ssl.SSLContext | None,
) -> Response:
    last_error: Exception | None = None
    for address in destination.addresses:
        if destination.scheme == "https":
            connection: http.client.HTTPConnection = _PinnedHTTPSConnection(
                destination.host,
                destination.port,
                address=address,
                timeout=timeout,
                context=ssl_context or ssl.create_default_context(),
            )
        else:
            connection = _PinnedHTTPConnection(
                destination.host, destination.port, address=address, timeout=timeout
            )
        try:
            connection.request(method, destination.target, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read(max_body_bytes) if method != "HEAD" else b""
            return Response(
                status=answer.status,
                reason=answer.reason,
                headers={name.lower(): value for name, value in answer.getheaders()},
                body=data,
                url=destination.url,
            )
        except ssl.SSLError as exc:
            raise DestinationUnreachable("TLS handshake or certificate check failed.") from exc
        except TimeoutError as exc:
            last_error = DestinationUnreachable("The request timed out.")
            last_error.__cause__ = exc
        except (OSError, http.client.HTTPException) as exc:
            last_error = DestinationUnreachable("The connection failed.")
            last_error.__cause__ = exc
        finally:
            connection.close()
    raise last_error or DestinationUnreachable("The connection failed.")


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    max_redirects: int = 0,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ssl_context: ssl.SSLContext | None = None,
) -> Response:
    """Send one request to ``url`` once its destination is checked; return the answer.

    Any status is an answer (the caller decides what a 404 or 500 means). Raises
    DestinationRefused for a URL the rules refuse (nothing is sent) and DestinationUnreachable
    when the connection fails; both messages are generic (no socket error text). With
    ``max_redirects`` > 0, 301/302/303/307/308 answers with a Location are followed, each hop
    checked like the first (303, and 301/302 after a POST, continue as GET without a body).
    Only the first ``max_body_bytes`` of a body are read.
    """
    timeout = float(getattr(settings, "OUTBOUND_TIMEOUT_SECONDS", 5) if timeout is None else timeout)
    sent_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    redirects: list[str] = []
    current = url
    while True:
        destination = check_url(current)
        response = _send_once(destination, method, body, sent_headers, timeout, max_body_bytes, ssl_context)
        location = response.headers.get("location")
        if (
            response.status not in (301, 302, 303, 307, 308)
            or not location
            or len(redirects) >= max_redirects
        ):
            response.redirects = redirects
            return response
        current = urljoin(current, location)
        redirects.append(current)
        if response.status == 303 or (response.status in (301, 302) and method == "POST"):
            method, body = ("HEAD" if method == "HEAD" else "GET"), None
            sent_headers = {k: v for k, v in sent_headers.items() if k.lower() != "content-type"}
