"""`ensure_admin` (run by `make run`) creates one local superuser and prints how to log in."""

import io
import re
import stat

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

PRINTED = re.compile(r"^Admin: https://cms\.example-practice\.test/admin/  user: (\S+)  password: (\S+)$")


@pytest.fixture
def var_dir(settings, tmp_path, monkeypatch):
    # Never touch the developer's real var/admin-password.txt.
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("ADMIN_USERNAME", raising=False)
    return tmp_path


def ensure_admin():
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    match = PRINTED.match(out.getvalue().strip())
    assert match, out.getvalue()
    return match.groups()


def sign_in_request():
    """A sign-in request: the lockout backend (django-axes) counts attempts per client, so
    authentication always comes with the request it answers."""
    return RequestFactory().post("/admin/login/", REMOTE_ADDR="192.0.2.10")


def test_it_creates_a_superuser_and_prints_working_credentials(var_dir, django_user_model):
    username, password = ensure_admin()
    assert username == "admin"
    user = django_user_model.objects.get(username="admin")
    assert user.is_staff and user.is_superuser
    assert authenticate(sign_in_request(), username="admin", password=password) == user
    secret = var_dir / "admin-password.txt"
    assert secret.read_text() == password + "\n"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_running_it_again_changes_nothing_and_prints_the_same_credentials(var_dir, django_user_model):
    first = ensure_admin()
    stored_hash = django_user_model.objects.get(username="admin").password
    assert ensure_admin() == first
    assert django_user_model.objects.count() == 1
    assert django_user_model.objects.get(username="admin").password == stored_hash


def test_credentials_can_come_from_the_environment(var_dir, monkeypatch, django_user_model):
    monkeypatch.setenv("ADMIN_USERNAME", "clinic-admin")
    monkeypatch.setenv("ADMIN_PASSWORD", "a-long-local-password")
    assert ensure_admin() == ("clinic-admin", "a-long-local-password")
    signed_in = authenticate(sign_in_request(), username="clinic-admin", password="a-long-local-password")
    assert signed_in is not None
    assert not (var_dir / "admin-password.txt").exists()


def test_the_summary_is_the_site_the_admin_and_the_login_on_three_lines(var_dir, monkeypatch, db):
    monkeypatch.setenv("ADMIN_PASSWORD", "a-long-local-password")
    out = io.StringIO()
    call_command("ensure_admin", "--summary", stdout=out)
    assert out.getvalue().splitlines() == [
        "Site:   https://www.example-practice.test/",
        "Admin:  https://cms.example-practice.test/admin/",
        "Login:  admin / a-long-local-password",
    ]
    assert authenticate(sign_in_request(), username="admin", password="a-long-local-password") is not None
