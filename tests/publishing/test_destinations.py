"""Outbound destination rules (publishing/destinations.py): what is refused, and requests that
connect only to the address that was checked."""

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from publishing import destinations
from publishing.destinations import DestinationRefused, DestinationUnreachable, check_url

PUBLIC = "93.184.215.14"


@pytest.fixture
def production_rules(settings):
    settings.OUTBOUND_HTTPS_ONLY = True
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    return settings


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "https://127.0.0.1/hook",
            "127.0.0.1 is a loopback address, not a public internet address.",
        ),
        ("https://[::1]/hook", "::1 is a loopback address, not a public internet address."),
        (
            "https://10.1.2.3/",
            "10.1.2.3 is a private or reserved address, not a public internet address.",
        ),
        (
            "https://172.16.0.9/",
            "172.16.0.9 is a private or reserved address, not a public internet address.",
        ),
        (
            "https://192.168.1.1/",
            "192.168.1.1 is a private or reserved address, not a public internet address.",
        ),
        (
            "https://[fd12::1]/",
            "fd12::1 is a private or reserved address, not a public internet address.",
        ),
        (
            "https://169.254.10.1/",
            "169.254.10.1 is a link-local address, not a public internet address.",
        ),
        ("https://[fe80::1]/", "fe80::1 is a link-local address, not a public internet address."),
        (
            "https://169.254.169.254/latest/meta-data/",
            "169.254.169.254 is a cloud metadata address, not a public internet address.",
        ),
        (
            "https://100.64.3.4/",
            "100.64.3.4 is a shared (carrier-grade NAT) address, not a public internet address.",
        ),
        ("https://224.0.0.1/", "224.0.0.1 is a multicast address, not a public internet address."),
        ("https://0.0.0.0/", "0.0.0.0 is the unspecified address, not a public internet address."),
        ("https://[::]/", ":: is the unspecified address, not a public internet address."),
        (
            "https://[::ffff:127.0.0.1]/",
            "::ffff:7f00:1 is a loopback address, not a public internet address.",
        ),
        ("https://2130706433/", "Write an IP address in its usual dotted form (e.g. 203.0.113.7)."),
        ("https://0x7f.1/", "Write an IP address in its usual dotted form (e.g. 203.0.113.7)."),
        ("http://www.example.com/", "Only https:// URLs are allowed."),
        ("ftp://www.example.com/", "Only https:// URLs are allowed."),
        ("https://user:pw@www.example.com/", "The URL must not contain a user name or password."),
        ("https:///nohost", "The URL needs a host name."),
        ("https://www.example.com/a b", "The URL must not contain spaces or control characters."),
    ],
)
def test_urls_outside_the_public_internet_are_refused_with_a_reason(production_rules, url, message):
    with pytest.raises(DestinationRefused) as refused:
        check_url(url)
    assert str(refused.value) == message


def test_a_public_https_address_is_allowed(production_rules):
    destination = check_url(f"https://{PUBLIC}:8443/hooks?x=1")
    assert (destination.scheme, destination.host, destination.port, destination.target) == (
        "https",
        PUBLIC,
        8443,
        "/hooks?x=1",
    )
    assert [str(a) for a in destination.addresses] == [PUBLIC]


def test_a_name_resolving_to_any_private_address_is_refused_like_one_that_does_not_resolve(
    production_rules, fake_dns
):
    answers, _ = fake_dns
    answers["mixed.example"] = [[PUBLIC, "10.0.0.5"]]
    answers["internal.example"] = [["192.168.0.10"]]
    answers["localhost.example"] = [["127.0.0.1", "::1"]]
    answers["public.example"] = [[PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]]

    for host in ("mixed.example", "internal.example", "localhost.example", "no-such-host.invalid"):
        with pytest.raises(DestinationRefused) as refused:
            check_url(f"https://{host}/hooks")
        assert str(refused.value) == f"{host} does not resolve to a public internet address."
    assert [str(a) for a in check_url("https://public.example/").addresses] == [
        PUBLIC,
        "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
    ]


def test_allowed_networks_let_a_local_receiver_through_but_never_a_metadata_address(settings):
    settings.OUTBOUND_HTTPS_ONLY = False
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8", "169.254.0.0/16"]

    assert [str(a) for a in check_url("http://127.0.0.1:9000/").addresses] == ["127.0.0.1"]
    assert [str(a) for a in check_url("http://169.254.10.1/").addresses] == ["169.254.10.1"]
    with pytest.raises(DestinationRefused, match="169.254.169.254 is a cloud metadata address"):
        check_url("http://169.254.169.254/")
    with pytest.raises(DestinationRefused, match="10.0.0.1 is a private"):
        check_url("http://10.0.0.1/")


def test_production_forces_https_only_whatever_the_environment_says(tmp_path):
    from tests.cms.test_settings import GOOD_SECRET, run

    result = run(
        [
            "-c",
            "from cms.settings import production as p\n"
            "print(p.OUTBOUND_HTTPS_ONLY, p.OUTBOUND_ALLOWED_NETWORKS)",
        ],
        tmp_path,
        DJANGO_SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="cms.example.org",
        OUTBOUND_HTTPS_ONLY="false",
    )
    assert (result.returncode, result.stdout) == (0, "True []\n")


def test_a_bad_allowed_network_stops_start_up(tmp_path):
    from tests.cms.test_settings import GOOD_SECRET, run

    result = run(
        ["-c", "import cms.settings.production"],
        tmp_path,
        DJANGO_SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="cms.example.org",
        OUTBOUND_ALLOWED_NETWORKS="10.0.0.0/8,intranet",
    )
    assert result.returncode != 0
    assert "OUTBOUND_ALLOWED_NETWORKS: 'intranet' is not a network (e.g. 10.0.0.0/8)." in result.stderr


class Recorder:
    """A local HTTP(S) server that records requests and answers with a scripted status."""

    def __init__(self, *, tls_context: ssl.SSLContext | None = None, status=200, headers=None):
        self.requests: list[dict] = []
        self.server_names: list[str | None] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length) if length else b""
                recorder.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers.items()),
                        "body": body,
                    }
                )
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST = do_HEAD = _answer  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls_context is not None:

            def remember(sslobj, server_name, context):
                recorder.server_names.append(server_name)

            tls_context.sni_callback = remember
            self.server.socket = tls_context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder_factory():
    made = []

    def make(**kwargs):
        made.append(Recorder(**kwargs))
        return made[-1]

    yield make
    for recorder in made:
        recorder.close()


def test_a_request_connects_to_the_checked_address_even_when_dns_changes_its_answer(
    settings, fake_dns, recorder_factory
):
    """DNS rebinding: the first answer passes the check, later ones name a refused address. The
    request must go where the check looked (one lookup), with the URL's host in ``Host``."""
    settings.OUTBOUND_HTTPS_ONLY = False
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    receiver = recorder_factory()
    answers, lookups = fake_dns
    answers["rebind.example"] = [["127.0.0.1"], ["10.255.255.1"]]

    response = destinations.request(
        "POST", f"http://rebind.example:{receiver.port}/hooks?a=1", body=b"{}", headers={"X-Test": "1"}
    )

    assert (response.status, response.body) == (200, b"ok")
    assert lookups == ["rebind.example"]
    [sent] = receiver.requests
    assert (sent["method"], sent["path"], sent["body"]) == ("POST", "/hooks?a=1", b"{}")
    assert sent["headers"]["Host"] == f"rebind.example:{receiver.port}"
    assert sent["headers"]["X-Test"] == "1"
    assert sent["headers"]["User-Agent"] == "PracticeCMS/1.0"


def test_a_refused_destination_is_never_contacted(production_rules, recorder_factory):
    receiver = recorder_factory()
    with pytest.raises(DestinationRefused, match="127.0.0.1 is a loopback address"):
        destinations.request("POST", f"https://127.0.0.1:{receiver.port}/", body=b"{}")
    assert receiver.requests == []


def test_redirects_are_not_followed_unless_asked_and_each_hop_is_checked(settings, recorder_factory):
    settings.OUTBOUND_HTTPS_ONLY = False
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    final = recorder_factory()
    hop = recorder_factory(status=302, headers={"Location": f"http://127.0.0.1:{final.port}/final"})
    to_private = recorder_factory(status=307, headers={"Location": "http://10.0.0.7/admin"})

    unfollowed = destinations.request("GET", f"http://127.0.0.1:{hop.port}/start")
    assert (unfollowed.status, unfollowed.headers["location"]) == (
        302,
        f"http://127.0.0.1:{final.port}/final",
    )
    assert final.requests == []

    followed = destinations.request("POST", f"http://127.0.0.1:{hop.port}/start", body=b"x", max_redirects=3)
    assert (followed.status, followed.redirects) == (200, [f"http://127.0.0.1:{final.port}/final"])
    assert [(r["method"], r["path"]) for r in final.requests] == [("GET", "/final")]

    with pytest.raises(DestinationRefused, match="10.0.0.7 is a private or reserved address"):
        destinations.request("GET", f"http://127.0.0.1:{to_private.port}/", max_redirects=3)


def test_a_failed_connection_is_reported_without_socket_details(settings):
    from tests.conftest import closed_port

    settings.OUTBOUND_HTTPS_ONLY = False
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with pytest.raises(DestinationUnreachable) as failed:
        destinations.request("GET", f"http://127.0.0.1:{closed_port()}/")
    assert str(failed.value) == "The connection failed."


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for receiver.example (made by the openssl command)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=receiver.example", "-addext", "subjectAltName=DNS:receiver.example",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_https_sends_the_host_name_as_sni_and_verifies_the_certificate_against_it(
    settings, fake_dns, recorder_factory, certificate
):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    cert, key = certificate
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    receiver = recorder_factory(tls_context=server_context)
    answers, _ = fake_dns
    answers["receiver.example"] = [["127.0.0.1"]]
    answers["impostor.example"] = [["127.0.0.1"]]
    client_context = ssl.create_default_context(cafile=str(cert))

    response = destinations.request(
        "GET", f"https://receiver.example:{receiver.port}/", ssl_context=client_context
    )

    assert response.status == 200
    assert receiver.server_names == ["receiver.example"]
    assert receiver.requests[0]["headers"]["Host"] == f"receiver.example:{receiver.port}"
    with pytest.raises(DestinationUnreachable) as failed:
        destinations.request("GET", f"https://impostor.example:{receiver.port}/", ssl_context=client_context)
    assert str(failed.value) == "TLS handshake or certificate check failed."
