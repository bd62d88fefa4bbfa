"""STAFF_2FA_REQUIRED per environment: production requires sensitive staff to use a second
factor and its deploy check refuses `never`; development and the tests say `never`."""

import os
import subprocess
import sys

from tests.cms.test_settings import GOOD_SECRET, ROOT, run

PRINT_SETTING = (
    "from django.conf import settings; import django; django.setup(); print(settings.STAFF_2FA_REQUIRED)"
)


def test_production_requires_sensitive_staff_by_default(tmp_path):
    result = run(
        ["-c", PRINT_SETTING],
        tmp_path,
        DJANGO_SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="cms.example.org",
        STAFF_2FA_REQUIRED="",
    )
    assert (result.returncode, result.stdout) == (0, "sensitive\n"), result.stderr


def test_development_and_the_tests_say_never(tmp_path):
    from django.conf import settings

    environment = {key: value for key, value in os.environ.items() if key != "STAFF_2FA_REQUIRED"}
    environment.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", VAR_DIR=str(tmp_path))
    dev = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", PRINT_SETTING],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert (dev.returncode, dev.stdout) == (0, "never\n"), dev.stderr
    assert settings.STAFF_2FA_REQUIRED == "never"


def test_production_with_never_fails_the_deploy_check(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DJANGO_SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="cms.example.org",
        STAFF_2FA_REQUIRED="never",
    )

    assert result.returncode != 0
    assert "(staffauth.W001) STAFF_2FA_REQUIRED is 'never'" in result.stderr + result.stdout


def test_an_unknown_value_stops_start_up(tmp_path):
    result = run(
        ["-c", PRINT_SETTING],
        tmp_path,
        DJANGO_SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="cms.example.org",
        STAFF_2FA_REQUIRED="sometimes",
    )

    assert result.returncode != 0
    assert "STAFF_2FA_REQUIRED must be one of never, sensitive, all, got 'sometimes'." in result.stderr
