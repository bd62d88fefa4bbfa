"""A real S3-protocol server for the storage tests: moto's server mode (``moto[server]`` in
requirements-dev.txt), started once per test session on 127.0.0.1 and stopped after it, so
CI needs nothing running beforehand.

TEST_SERVER_PORTS (``first-last``) picks the port from a range; otherwise the system gives a
free one. Each test gets its own empty bucket and the project's media storage pointed at it
through the same settings function production uses (``cms.settings.base.media_storage``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from cms.settings.base import media_storage

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
STARTUP_TIMEOUT_S = 30
# moto accepts any credentials; these only make boto3 sign requests.
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"  # noqa: S105
REGION = "us-east-1"


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on: the first free one of TEST_SERVER_PORTS when set."""
    wanted = os.environ.get("TEST_SERVER_PORTS", "")
    candidates = [0]
    if wanted:
        first, _, last = wanted.partition("-")
        candidates = list(range(int(first), int(last or first) + 1))
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"No free port in TEST_SERVER_PORTS={wanted}.")


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )


def start_s3_server(log_path: Path) -> S3Server:
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = log_path.open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter running moto's server
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=PROJECT_DIR,
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited ({process.returncode}); see {log_path}")
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):  # noqa: S310
                break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"moto_server did not answer within {STARTUP_TIMEOUT_S} s") from None
            time.sleep(0.2)
    return S3Server(endpoint=endpoint, process=process)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    server = start_s3_server(tmp_path_factory.mktemp("moto") / "moto.log")
    yield server
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@dataclass
class Bucket:
    """One test's bucket and how the project is configured to use it."""

    name: str
    base_url: str
    client: object
    env: dict[str, str]

    def object_keys(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


def public_read_policy(bucket: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicReadOfMedia",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def bucket_env(server: S3Server, name: str, base_url: str) -> dict[str, str]:
    """The environment variables an operator sets for this bucket (docs/operations.md)."""
    return {
        "MEDIA_S3_BUCKET": name,
        "MEDIA_S3_ENDPOINT_URL": server.endpoint,
        "MEDIA_S3_REGION": REGION,
        "MEDIA_S3_ACCESS_KEY_ID": ACCESS_KEY,
        "MEDIA_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "MEDIA_BASE_URL": base_url,
    }


@pytest.fixture(autouse=True)
def fresh_rendition_cache(settings):
    """Wagtail caches renditions by image id and file hash: an earlier test's image (the same
    id after its rollback, the same pixels) would be found there, in an earlier storage."""
    settings.CACHES = {
        **settings.CACHES,
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"renditions-{uuid.uuid4().hex}",
        },
    }


@pytest.fixture
def make_bucket(s3_server, settings, monkeypatch):
    """Create an empty bucket and make it the project's media storage. ``base_url`` is the
    public base (a CDN); by default the bucket's own path-style URL on the server, so every
    URL the project writes can be fetched in the test."""

    def _make(base_url: str | None = None) -> Bucket:
        name = f"media-{uuid.uuid4().hex[:12]}"
        client = s3_server.client()
        client.create_bucket(Bucket=name)
        # Readers fetch media straight from the bucket (or the CDN in front of it): the
        # bucket policy an operator sets, as docs/operations.md shows.
        client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
        base = base_url or f"{s3_server.endpoint}/{name}"
        env = bucket_env(s3_server, name, base)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        settings.STORAGES = {**settings.STORAGES, "default": media_storage()}
        settings.MEDIA_BASE_URL = base
        return Bucket(name=name, base_url=base, client=client, env=env)

    return _make


@pytest.fixture
def bucket(make_bucket) -> Bucket:
    return make_bucket()
