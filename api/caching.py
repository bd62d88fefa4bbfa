"""Shared cache for public API GET responses, invalidated precisely by tags.

A cached entry is the response body, its ETag and headers, plus the *versions* of the tags it
depends on (``article:12``, ``articles:list``, ``topic:anxiety``, ``author:maya-chen``,
``site``…). Publishing bumps the versions of exactly the tags a change touches
(``publishing.affected``), so entries that depend on them stop matching and every other entry
keeps being served: no global flush.

Versions are random tokens, not counters: if the cache evicts a tag's version, entries recorded
against the old token can never match again (a counter restarting at 0 could).

The cache is an optimisation only. Every cache call is guarded: with the cache server down the
API answers from the database as if the cache were empty.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

logger = logging.getLogger(__name__)

# Seconds an entry may live even if nothing invalidates it (a safety net, not the mechanism).
DEFAULT_TIMEOUT = 60 * 60 * 24
# Header telling clients (and tests) whether the shared cache answered.
HIT_HEADER = "X-Cache"


def _enabled() -> bool:
    return getattr(settings, "API_CACHE_ENABLED", True)


def _cache():
    return caches[getattr(settings, "API_CACHE_ALIAS", "default")]


def _prefix() -> str:
    return getattr(settings, "API_CACHE_KEY_PREFIX", "api:v1")


def _tag_key(tag: str) -> str:
    return f"{_prefix()}:tag:{tag}"


def normalised_query(query_dict) -> str:
    """Query string with keys and repeated values sorted: ``?b=2&a=1`` and ``?a=1&b=2`` agree."""
    items = sorted((key, value) for key in query_dict for value in sorted(query_dict.getlist(key)))
    return "&".join(f"{key}={value}" for key, value in items)


def response_key(path: str, query_dict) -> str:
    digest = hashlib.sha256(f"{path}?{normalised_query(query_dict)}".encode()).hexdigest()
    return f"{_prefix()}:resp:{digest}"


def _new_version() -> str:
    return secrets.token_hex(8)


def invalidate(tags: Iterable[str]) -> None:
    """Give each tag a new version: every entry recorded against an old one is stale."""
    tags = sorted(set(tags))
    if not tags:
        return
    try:
        _cache().set_many({_tag_key(tag): _new_version() for tag in tags}, timeout=None)
    except Exception:
        # The cache being down means nothing is served from it either; nothing to invalidate.
        logger.warning("API cache unavailable: could not invalidate %s tags", len(tags), exc_info=True)


def _current_versions(tags: Iterable[str], *, create: bool) -> dict[str, str] | None:
    tags = sorted(set(tags))
    cache = _cache()
    found = cache.get_many([_tag_key(tag) for tag in tags])
    versions = {tag: found.get(_tag_key(tag)) for tag in tags}
    missing = [tag for tag, version in versions.items() if version is None]
    if missing and not create:
        return None
    if missing:
        fresh = {tag: _new_version() for tag in missing}
        for tag, version in fresh.items():
            # add(): if another process set a version meanwhile, theirs wins and we reread it.
            if not cache.add(_tag_key(tag), version, timeout=None):
                version = cache.get(_tag_key(tag)) or version
            versions[tag] = version
    return versions


def lookup(request) -> dict | None:
    """The stored entry for this request if every tag it depends on is unchanged."""
    try:
        entry = _cache().get(response_key(request.path, request.GET))
        if not entry:
            return None
        versions = _current_versions(entry["tags"].keys(), create=False)
        if versions is None or versions != entry["tags"]:
            return None
        return entry
    except Exception:
        logger.warning("API cache unavailable: answering from the database", exc_info=True)
        return None


def store(request, response: HttpResponse, tags: Iterable[str], timeout: int | None = None) -> bool:
    """Keep a successful public response with the versions of the tags it depends on."""
    if not _is_storable(response):
        return False
    try:
        versions = _current_versions(tags, create=True)
        entry = {
            "tags": versions,
            "content": bytes(response.content),
            "content_type": response["Content-Type"],
        }
        timeout = _timeout() if timeout is None else timeout
        _cache().set(response_key(request.path, request.GET), entry, timeout=timeout)
        return True
    except Exception:
        logger.warning("API cache unavailable: response not stored", exc_info=True)
        return False


def _is_storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.has_header("Set-Cookie"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control


def _timeout() -> int:
    """Entries never outlive the next scheduled expiry: an article past its ``expire_at`` is
    hidden by the selectors at once, and its cached appearances must go with it."""
    from django.db.models import Min
    from django.utils import timezone
    from wagtail.models import Page

    now = timezone.now()
    next_expiry = Page.objects.filter(live=True, expire_at__gt=now).aggregate(at=Min("expire_at"))["at"]
    if next_expiry is None:
        return DEFAULT_TIMEOUT
    return max(1, min(DEFAULT_TIMEOUT, int((next_expiry - now).total_seconds()) + 1))


# --- which tags a response depends on ------------------------------------------------------

ARTICLE_KEYS = frozenset({"id", "slug", "title", "path", "excerpt"})
AUTHOR_KEYS = frozenset({"slug", "name", "credentials", "role"})
TOPIC_KEYS = frozenset({"slug", "name", "path", "article_count"})


def tags_in_data(data: Any) -> set[str]:
    """Tags for every article, author, topic and page path a response shows, by their shapes.

    The contract fixes those shapes (``ArticleSummary``, ``AuthorSummary``, ``Topic``), so a
    response depends on ``article:<id>`` for every article summary it contains, including
    related lists and inline ``related_article`` blocks; on ``author:<slug>`` for every person
    it names (and ``author-articles:<slug>`` where it counts their articles); on
    ``topic:<slug>`` for every topic (whose ``article_count`` moves with its articles); and on
    ``path:<path>`` for every page it links by title (breadcrumbs, menus).
    """
    from publishing.affected import article_tag, author_articles_tag, author_tag, path_tag, topic_tag

    tags: set[str] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            keys = item.keys()
            if keys >= ARTICLE_KEYS and isinstance(item.get("id"), int):
                tags.add(article_tag(item["id"]))
            elif keys >= AUTHOR_KEYS:
                tags.add(author_tag(item["slug"]))
                if "article_count" in keys:
                    tags.add(author_articles_tag(item["slug"]))
            elif keys >= TOPIC_KEYS:
                tags.add(topic_tag(item["slug"]))
            if isinstance(item.get("path"), str):
                tags.add(path_tag(item["path"]))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return tags


def cached_response(*static_tags: str, data_tags: bool = True) -> Callable:
    """Serve a view's GET from the shared cache; store what it answers (``SharedCacheMixin``).

    ``static_tags`` are what the view depends on beyond the objects visible in its data (e.g.
    ``articles:list`` for a list that new articles enter); every response also depends on
    ``site`` and, with ``data_tags``, on every article, topic, author and path in its data::

        @cached_response(TAG_ARTICLE_LISTS)
        def get(self, request): ...

    A hit is a plain response with the stored bytes; ``api.http.CachedGetMixin`` then adds
    the same ETag (a hash of those bytes), Cache-Control and 304 handling as on a miss.
    """
    from publishing.affected import TAG_SITE

    def decorator(method):
        @functools.wraps(method)
        def wrapper(view, request, *args, **kwargs):
            if not _enabled():
                return method(view, request, *args, **kwargs)
            django_request = getattr(request, "_request", request)
            entry = lookup(django_request)
            if entry is not None:
                response = HttpResponse(entry["content"], content_type=entry["content_type"])
                response[HIT_HEADER] = "HIT"
                return response
            response = method(view, request, *args, **kwargs)
            tags = {TAG_SITE, *static_tags}
            if data_tags:
                tags |= tags_in_data(getattr(response, "data", None))
            view._shared_cache_tags = tags
            response[HIT_HEADER] = "MISS"
            return response

        return wrapper

    return decorator


class SharedCacheMixin:
    """Stores responses of views whose GET is decorated with ``cached_response``.

    DRF renders the body in ``finalize_response``; this stores it once the bytes exist, before
    ``CachedGetMixin`` (earlier in the MRO) adds ETag and answers 304.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        tags = getattr(self, "_shared_cache_tags", None)
        if tags is not None and response.get(HIT_HEADER) == "MISS":
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            store(getattr(request, "_request", request), response, tags)
        return response


def purge_urls_for(impact) -> list[str]:
    """API URLs a CDN should drop for a change (detail-by-path and the shared lists)."""
    from urllib.parse import urlencode

    base = f"{settings.WAGTAILADMIN_BASE_URL}/api/v1"
    urls = [f"{base}/articles/", f"{base}/topics/"]
    if impact.site_wide:
        urls.append(f"{base}/site/")
    urls += [f"{base}/resolve/?{urlencode({'path': path})}" for path in impact.sorted_paths()]
    return urls
