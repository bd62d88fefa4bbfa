"""Fail closed: production refuses a per-process response cache and throttles in it."""

from api.response_cache import check_cache_configuration

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
REDIS = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/11"}
DATABASE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "throttle_cache"}


def production(settings, *, default, enabled=True, throttle_alias="throttle"):
    settings.RESPONSE_CACHE_REQUIRE_SHARED = True
    settings.RESPONSE_CACHE_ENABLED = enabled
    settings.CACHES = {"default": default, "throttle": DATABASE}
    settings.THROTTLE_CACHE_ALIAS = throttle_alias


def test_production_with_the_response_cache_on_and_a_per_process_cache_is_an_error(settings):
    production(settings, default=LOCMEM)

    assert [e.id for e in check_cache_configuration()] == ["api.E001"]
    assert check_cache_configuration()[0].level >= 40  # ERROR: check --deploy fails


def test_production_with_the_response_cache_off_or_on_redis_passes(settings):
    production(settings, default=LOCMEM, enabled=False)
    assert check_cache_configuration() == []
    production(settings, default={"BACKEND": "django.core.cache.backends.dummy.DummyCache"}, enabled=False)
    assert check_cache_configuration() == []
    production(settings, default=REDIS)
    assert check_cache_configuration() == []


def test_throttles_counting_in_the_response_cache_are_an_error(settings):
    production(settings, default=REDIS, throttle_alias="default")

    assert [e.id for e in check_cache_configuration()] == ["api.E002"]


def test_development_may_use_a_per_process_cache(settings):
    settings.RESPONSE_CACHE_REQUIRE_SHARED = False
    settings.RESPONSE_CACHE_ENABLED = True
    settings.CACHES = {"default": LOCMEM, "throttle": DATABASE}

    assert check_cache_configuration() == []
