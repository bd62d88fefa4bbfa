"""The media storage, rendition cache and error reporting switched by environment variables,
as production loads them (a fresh interpreter each)."""

import json

from tests.cms.test_settings import GOOD_SECRET, run

PRINT = (
    "import json, cms.settings.production as s, sentry_sdk; "
    "print(json.dumps({'default': s.STORAGES['default'], 'renditions': s.CACHES.get('renditions'), "
    "'sentry': sentry_sdk.get_client().is_active()}, default=str))"
)
PRODUCTION = {"DJANGO_SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "cms.example.org"}


def load(tmp_path, **env) -> dict:
    result = run(["-c", PRINT], tmp_path, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_bucket_media_stay_on_local_disk_and_reporting_is_off(tmp_path):
    loaded = load(tmp_path)

    assert loaded == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "renditions": None,
        "sentry": False,
    }


def test_a_bucket_serves_every_url_from_the_cdn_base_unsigned(tmp_path):
    loaded = load(
        tmp_path,
        MEDIA_S3_BUCKET="practice-media",
        MEDIA_S3_REGION="us-west-2",
        MEDIA_BASE_URL="https://media.example.org/",
        MEDIA_S3_PREFIX="/cms/",
    )

    assert loaded["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "practice-media",
            "endpoint_url": None,
            "region_name": "us-west-2",
            "access_key": None,
            "secret_key": None,
            "location": "cms",
            "custom_domain": "media.example.org",
            "url_protocol": "https:",
            "querystring_auth": False,
            "file_overwrite": False,
            "addressing_style": "auto",
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }


def test_a_bucket_without_its_public_base_url_refuses_to_start(tmp_path):
    result = run(["-c", "import cms.settings.production"], tmp_path, **PRODUCTION, MEDIA_S3_BUCKET="media")

    assert result.returncode != 0
    assert "MEDIA_S3_BUCKET needs MEDIA_BASE_URL: the public URL of the bucket" in result.stderr


def test_with_redis_renditions_are_cached_there_under_their_own_prefix(tmp_path):
    loaded = load(tmp_path, REDIS_URL="redis://127.0.0.1:6379/14")

    renditions = loaded["renditions"]
    assert renditions["BACKEND"] == "django_redis.cache.RedisCache"
    assert renditions["LOCATION"] == "redis://127.0.0.1:6379/14"
    assert renditions["KEY_PREFIX"] == "cms-renditions"
    assert renditions["TIMEOUT"] == 7 * 24 * 60 * 60


def test_a_sentry_dsn_turns_reporting_on(tmp_path):
    assert load(tmp_path, SENTRY_DSN="https://publickey@127.0.0.1:9/1")["sentry"] is True
