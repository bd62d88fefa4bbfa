"""Two app processes (gunicorn) on one database and one bucket: what one uploads, renders or
deletes, the other sees, and a rendition made by one is never made again by the other."""

from __future__ import annotations

import http.cookiejar
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image as PILImage

from tests.ops.conftest import PROJECT_DIR, bucket_env, free_port, public_read_policy

STARTUP_TIMEOUT_S = 60
ADMIN_USERNAME = "ops-editor"
ADMIN_PASSWORD = f"pw-{uuid.uuid4().hex}"  # noqa: S105 - a throwaway account of this test
ARTICLE = "/api/v1/articles/emotional-numbness/"


@dataclass
class App:
    """One gunicorn process of the project."""

    port: int
    process: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Browser:
    """A person's session: cookies and CSRF tokens, over plain HTTP."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read().decode()

    def csrf(self, url: str) -> str:
        _, _, html = self.request(url)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post(self, url: str, fields: dict, files: dict | None = None):
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for name, value in fields.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content, content_type) in (files or {}).items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n".encode()
            )
            body.write(content + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        origin = urllib.parse.urlsplit(url)
        return self.request(
            url,
            data=body.getvalue(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": f"{origin.scheme}://{origin.netloc}/admin/",
            },
        )

    def sign_in(self, base: str) -> None:
        token = self.csrf(f"{base}/admin/login/")
        status, headers, _ = self.post(
            f"{base}/admin/login/",
            {"csrfmiddlewaretoken": token, "username": ADMIN_USERNAME, "password": ADMIN_PASSWORD},
        )
        assert status == 302, "sign-in failed"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def env_for(site_dir: Path, bucket_vars: dict[str, str], base: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(bucket_vars)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        VAR_DIR=str(site_dir),
        DATABASE_URL=f"sqlite:///{site_dir / 'db.sqlite3'}",
        PUBLIC_BASE_URL=base,
        WAGTAILADMIN_BASE_URL=base,
        ALLOWED_HOSTS="127.0.0.1",
        TASKS_BACKEND="immediate",
        ADMIN_USERNAME=ADMIN_USERNAME,
        ADMIN_PASSWORD=ADMIN_PASSWORD,
        # A shared Redis (CI's second pass) under a prefix of this test alone.
        CACHE_KEY_PREFIX=f"two-processes-{uuid.uuid4().hex}",
        PYTHONUNBUFFERED="1",
    )
    return env


def start_app(env: dict[str, str], log_path: Path) -> App:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the project's own gunicorn
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )
    app = App(port=port, process=process)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{app.base}/health/live/", timeout=2):  # noqa: S310
                return app
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"gunicorn did not answer:\n{log_path.read_text()}") from None
            time.sleep(0.3)


def stop(app: App) -> None:
    app.process.terminate()
    try:
        app.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        app.process.kill()
        app.process.wait()


def image_urls(value) -> list[str]:
    if isinstance(value, dict):
        return [u for v in value.values() for u in image_urls(v)] + (
            [value["url"]] if "renditions" in value or "format" in value else []
        )
    if isinstance(value, list):
        return [u for v in value for u in image_urls(v)]
    return []


@pytest.fixture
def two_apps(s3_server, tmp_path):
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = s3_server.client()
    client.create_bucket(Bucket=name)
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    media_base = f"{s3_server.endpoint}/{name}"
    bucket_vars = bucket_env(s3_server, name, media_base)
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    env = env_for(site_dir, bucket_vars, "http://127.0.0.1")
    script = (
        "from django.core.management import call_command as run; "
        "run('migrate', interactive=False, verbosity=0); run('load_demo_content'); run('ensure_admin')"
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )

    def keys() -> list[str]:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=name)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    apps = [start_app(env, tmp_path / f"app-{i}.log") for i in (1, 2)]
    yield apps[0], apps[1], media_base, keys
    for app in apps:
        stop(app)


def test_two_processes_share_uploads_renditions_and_deletions_through_one_bucket(two_apps):
    first, second, media_base, keys = two_apps
    uploaded_by_demo = keys()
    assert uploaded_by_demo and all(k.startswith("original_images/") for k in uploaded_by_demo)

    # The first process makes the article's renditions...
    status, _, body_first = Browser().request(first.base + ARTICLE)
    assert status == 200
    made = sorted(set(keys()) - set(uploaded_by_demo))
    assert made and all(k.startswith("images/") for k in made)
    # ...the second answers the same, naming the same objects, and makes none.
    status, _, body_second = Browser().request(second.base + ARTICLE)
    assert status == 200
    assert body_second == body_first
    assert keys() == sorted(uploaded_by_demo + made)
    urls = image_urls(json.loads(body_first))
    assert urls and {u.removeprefix(f"{media_base}/") for u in urls} <= set(made)
    for url in urls:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - the test's S3 server
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("image/")

    # An editor uploads on the second process; the session is in the shared database, so the
    # same browser is signed in on both.
    editor = Browser()
    editor.sign_in(second.base)
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 480), (30, 160, 90)).save(buffer, format="JPEG")
    token = editor.csrf(f"{second.base}/admin/images/add/")
    status, _, _ = editor.post(
        f"{second.base}/admin/images/add/",
        {"csrfmiddlewaretoken": token, "title": "Garden", "description": "A green garden lawn"},
        {"file": ("garden.jpg", buffer.getvalue(), "image/jpeg")},
    )
    assert status == 302
    assert "original_images/garden.jpg" in keys()

    # The first process lists it, with a thumbnail it makes in the bucket.
    _, _, listing = editor.request(f"{first.base}/admin/images/?q=Garden")
    image_id = re.search(r"/admin/images/(\d+)/", listing).group(1)
    thumbnails = re.findall(rf'src="{re.escape(media_base)}/(images/garden\.[^"]+)"', listing)
    assert thumbnails and set(thumbnails) <= set(keys())

    # Deleted on the first process: gone from the bucket, and from the second's library.
    token = editor.csrf(f"{first.base}/admin/images/{image_id}/delete/")
    status, _, _ = editor.post(
        f"{first.base}/admin/images/{image_id}/delete/", {"csrfmiddlewaretoken": token}
    )
    assert status == 302
    assert not [k for k in keys() if "garden" in k]
    _, _, listing = editor.request(f"{second.base}/admin/images/?q=Garden")
    assert f"/admin/images/{image_id}/" not in listing
