"""Production settings fail closed: no secret key or no explicit hosts means no start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SECRET_MESSAGE = "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters in production."
HOSTS_MESSAGE = "ALLOWED_HOSTS must list the host names this CMS answers to (no wildcard '*')."
GOOD_SECRET = "k3J9-qLm_2vXw8ZtR4yB6nHc1sDf5gAe7uPo0iKjQzWx-Vb8Nm4Lp2Rt6Ys"


def run(args, tmp_path, **env):
    """Run Python in a fresh interpreter with production settings and only ``env`` set."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="cms.settings.production", VAR_DIR=str(tmp_path), **env)
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def import_settings(tmp_path, **env):
    return run(["-c", "import cms.settings.production"], tmp_path, **env)


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = import_settings(tmp_path, ALLOWED_HOSTS="cms.example.org")
    assert result.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {SECRET_MESSAGE}" in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path):
    result = import_settings(
        tmp_path,
        DJANGO_SECRET_KEY="a-49-character-key-is-still-too-short-for-django!",
        ALLOWED_HOSTS="cms.example.org",
    )
    assert result.returncode != 0
    assert SECRET_MESSAGE in result.stderr


@pytest.mark.parametrize("hosts", ["", "*", "cms.example.org,*"])
def test_production_refuses_to_start_without_explicit_allowed_hosts(tmp_path, hosts):
    result = import_settings(tmp_path, DJANGO_SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS=hosts)
    assert result.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {HOSTS_MESSAGE}" in result.stderr


def test_production_with_a_key_and_hosts_passes_the_deploy_checks(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DJANGO_SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="cms.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_embedded_sqlite_database_is_tuned_on_every_connection(tmp_path):
    """WAL, NORMAL sync and a 64 MB page cache, read back from a real connection."""
    script = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
        "pragmas = ('journal_mode', 'synchronous', 'cache_size'); "
        "print([c.execute(f'PRAGMA {p}').fetchone()[0] for p in pragmas])"
    )
    result = run(["-c", script], tmp_path, DJANGO_SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="cms.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['wal', 1, -65536]"


def test_postgresql_gets_no_sqlite_pragmas():
    from cms.settings.base import sqlite_tuned

    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "cms"}
    assert sqlite_tuned(dict(postgres)) == postgres
    sqlite = sqlite_tuned({"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"})
    assert sqlite["OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def test_postgresql_connections_turn_off_the_jit_compiler_and_sqlite_is_left_alone():
    from cms.settings.base import postgres_tuned

    tuned = postgres_tuned({"ENGINE": "django.db.backends.postgresql", "NAME": "cms"})
    assert tuned["OPTIONS"] == {"options": "-c jit=off"}
    # Options given in DATABASE_URL win.
    given = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c jit=on"}}
    assert postgres_tuned(given)["OPTIONS"] == {"options": "-c jit=on"}
    assert "OPTIONS" not in postgres_tuned({"ENGINE": "django.db.backends.sqlite3", "NAME": "x"})


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_postgresql_connection_runs_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_admin_links_point_at_the_cms_not_the_public_frontend(tmp_path):
    """Password-reset emails carry a token: their links must reach the CMS's own host."""
    code = "from cms.settings import production as p\nprint(p.WAGTAILADMIN_BASE_URL, p.MEDIA_BASE_URL)"
    env = {"DJANGO_SECRET_KEY": GOOD_SECRET, "PUBLIC_BASE_URL": "https://www.example.org"}
    derived = run(
        ["-c", code],
        tmp_path,
        ALLOWED_HOSTS="cms.example.org,other.example.org",
        WAGTAILADMIN_BASE_URL="",
        MEDIA_BASE_URL="",
        **env,
    )
    assert (derived.returncode, derived.stdout) == (0, "https://cms.example.org https://cms.example.org\n")
    explicit = run(
        ["-c", code],
        tmp_path,
        ALLOWED_HOSTS="cms.example.org",
        WAGTAILADMIN_BASE_URL="https://admin.example.org/",
        MEDIA_BASE_URL="",
        **env,
    )
    assert explicit.stdout == "https://admin.example.org https://admin.example.org\n"


def test_a_transaction_on_the_embedded_database_takes_the_write_lock_when_it_begins(tmp_path):
    """IMMEDIATE: inside atomic(), before any write, another connection already cannot write;
    and a write waits for the busy timeout (20 s) instead of failing at once."""
    script = (
        "import django, sqlite3; django.setup(); from django.conf import settings; "
        "from django.db import connection, transaction; "
        "c = connection.cursor(); c.execute('CREATE TABLE t (x int)'); "
        "print(c.execute('PRAGMA busy_timeout').fetchone()[0]); "
        "other = sqlite3.connect(settings.DATABASES['default']['NAME'], timeout=0); "
        "atomic = transaction.atomic(); atomic.__enter__(); c.execute('SELECT count(*) FROM t'); "
        "\ntry:\n    other.execute('INSERT INTO t VALUES (1)'); print('other wrote')"
        "\nexcept sqlite3.OperationalError as exc:\n    print(exc)"
    )
    result = run(["-c", script], tmp_path, DJANGO_SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="cms.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["20000", "database is locked"]
