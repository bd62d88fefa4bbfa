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
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse

from api.http import _NOT_MODIFIED_HEADERS as NOT_MODIFIED_HEADERS  # the RFC 9110 list the views use
from api.http import etag_for
from blog import visibility

logger = logging.getLogger(__name__)

# Seconds an entry may live even if nothing invalidates it (a safety net, not the mechanism).
DEFAULT_TIMEOUT = 60 * 60 * 24
# Header telling clients (and tests) whether the shared cache answered.
HIT_HEADER = "X-Cache"
_NOT_MODIFIED_NAMES = frozenset(name.lower() for name in NOT_MODIFIED_HEADERS)


# Settings read on every hit, kept here until a setting changes (tests override them). An
# unset setting costs an AttributeError inside ``getattr(settings, name, default)`` each time:
# a measurable part of a hit.
_SETTINGS: dict[str, Any] = {}


def _setting(name: str, default: Any) -> Any:
    try:
        return _SETTINGS[name]
    except KeyError:
        value = _SETTINGS[name] = getattr(settings, name, default)
        return value


@receiver(setting_changed)
def _forget_settings(**kwargs) -> None:
    _SETTINGS.clear()


def enabled() -> bool:
    return _setting("API_CACHE_ENABLED", True)


def _cache():
    return caches[_setting("API_CACHE_ALIAS", "default")]


def _prefix() -> str:
    return _setting("API_CACHE_KEY_PREFIX", "api:v1")


def _tag_key(tag: str, prefix: str | None = None) -> str:
    return f"{prefix or _prefix()}:tag:{tag}"


def normalised_query(query_string: str) -> str:
    """The raw query string with its parameters sorted: ``?b=2&a=1`` and ``?a=1&b=2`` agree.

    Parameters are compared as sent, still percent-encoded, so a value holding ``&`` or ``=``
    (``?page_size=1%26topic%3Dx``, a 400) can never share a key with a valid query; two
    spellings of one query (``%20`` and ``+``) merely miss each other's entry. Parsing the
    query (``request.GET``) cost a 304 from the cache a tenth of its time."""
    return "&".join(sorted(piece for piece in query_string.split("&") if piece))


def _digest(request) -> str:
    query = normalised_query(request.META.get("QUERY_STRING", ""))
    return hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()


def _new_version() -> str:
    return secrets.token_hex(8)


def _epoch_key(prefix: str) -> str:
    return f"{prefix}:epoch"


def invalidate(tags: Iterable[str]) -> None:
    """Give each tag a new version: every entry recorded against an old one is stale.

    The epoch changes with them (in the same write), telling every entry to check its tags."""
    tags = sorted(set(tags))
    if not tags:
        return
    prefix = _prefix()
    try:
        versions = {_tag_key(tag, prefix): _new_version() for tag in tags}
        _cache().set_many({**versions, _epoch_key(prefix): _new_version()}, timeout=None)
    except Exception:
        # The cache being down means nothing is served from it either; nothing to invalidate.
        logger.warning("API cache unavailable: could not invalidate %s tags", len(tags), exc_info=True)


def _current_version(cache, key: str) -> str:
    """The version under ``key``, created if missing (at store time)."""
    version = cache.get(key)
    if version is None:
        version = _new_version()
        # add(): if another process set a version meanwhile, theirs wins and we reread it.
        if not cache.add(key, version, timeout=None):
            version = cache.get(key) or version
    return version


def _current_versions(tag_keys: tuple[str, ...], cache) -> tuple[str, ...]:
    """The versions of these tag keys, creating the missing ones (at store time)."""
    found = cache.get_many(tag_keys)
    return tuple(found.get(key) or _current_version(cache, key) for key in tag_keys)


# An entry is three keys under the same digest: ``resp`` (small: ETag, headers, the epoch),
# ``body`` (the ETag again, and the bytes) and ``tags`` (the ETag again, the tag keys and the
# versions they had when it was built; read only after an invalidation). A 304 reads only the
# first.
#
# The epoch is one more version, changed by every invalidation. An entry whose epoch is still
# the current one cannot have a changed tag, so a hit is a single read of [resp, body, epoch]
# rather than of the entry and then its ~100 tag versions (a 20-article list depends on every
# article, path, topic and author it shows). After any invalidation, each entry's next hit
# reads its tag versions once: still valid (a change elsewhere), it is stamped with the new
# epoch and keeps being served; stale, it is a miss and is rebuilt. Precision is the tags';
# the epoch only saves reading them while nothing changes.


@dataclass(frozen=True, slots=True)
class Entry:
    """A valid stored response: what a hit (``content`` set) or a 304 (``content`` None) needs."""

    etag: str
    headers: dict[str, str]
    not_modified_headers: dict[str, str]
    content: bytes | None


def lookup(request, *, body: bool = True) -> Entry | None:
    """The stored response for this request if every tag it depends on is unchanged.

    ``body=False`` (a conditional request) skips the bytes: enough to answer a 304.
    """
    try:
        prefix = _prefix()
        digest = _digest(request)
        meta_key, body_key = f"{prefix}:resp:{digest}", f"{prefix}:body:{digest}"
        epoch_key = _epoch_key(prefix)
        cache = _cache()
        found = cache.get_many([meta_key, body_key, epoch_key] if body else [meta_key, epoch_key])
        meta = found.get(meta_key)
        epoch = found.get(epoch_key)
        if epoch is None:  # never invalidated yet, or evicted
            epoch = _current_version(cache, epoch_key)
        # On a miss the view builds the response next: it is stored only if this epoch is still
        # current once the response is built (``_write``).
        setattr(request, EPOCH_SEEN_ATTR, epoch)
        if not meta:
            return None
        if meta["epoch"] != epoch:
            if not _tags_unchanged(cache, f"{prefix}:tags:{digest}", meta["etag"]):
                return None
            remaining = int(meta["expires"] - time.time())
            if remaining > 1:
                cache.set(meta_key, {**meta, "epoch": epoch}, timeout=remaining)
        content = None
        if body:
            stored = found.get(body_key)
            # Written together with the metadata; the ETag guards against a torn or evicted pair.
            if not stored or stored[0] != meta["etag"]:
                return None
            content = stored[1]
        return Entry(meta["etag"], meta["headers"], meta["not_modified_headers"], content)
    except Exception:
        logger.warning("API cache unavailable: answering from the database", exc_info=True)
        return None


def _tags_unchanged(cache, tags_key: str, etag: str) -> bool:
    stored = cache.get(tags_key)
    if not stored or stored[0] != etag:
        return False
    _, tag_keys, versions = stored
    current = cache.get_many(tag_keys)
    return all(current.get(key) == version for key, version in zip(tag_keys, versions, strict=True))


# Headers that belong to one response, never to a stored copy.
_PER_RESPONSE_HEADERS = frozenset({"content-length", "date", "set-cookie", HIT_HEADER.lower()})


def _storable_headers(headers) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name.lower() not in _PER_RESPONSE_HEADERS}


def _write(request, content: bytes, headers: dict, not_modified: dict, tags: Iterable[str]) -> bool:
    try:
        prefix = _prefix()
        tag_keys = tuple(_tag_key(tag, prefix) for tag in sorted(set(tags)))
        cache = _cache()
        # The epoch seen before the view read the database. An invalidation changes it in the
        # same write as the tags' versions, so if it is still current after reading those
        # versions, none of them changed while the response was built. Otherwise the response
        # may predate the change while the versions already follow it: served, not stored.
        started = getattr(request, EPOCH_SEEN_ATTR, None)
        versions = _current_versions(tag_keys, cache)
        if started is None or cache.get(_epoch_key(prefix)) != started:
            return False
        etag = etag_for(content)
        timeout = _timeout()
        meta = {
            "etag": etag,
            "headers": headers,
            "not_modified_headers": not_modified,
            "epoch": started,
            "expires": time.time() + timeout,
        }
        digest = _digest(request)
        cache.set_many(
            {
                f"{prefix}:resp:{digest}": meta,
                f"{prefix}:body:{digest}": (etag, content),
                f"{prefix}:tags:{digest}": (etag, tag_keys, versions),
            },
            timeout=timeout,
        )
        return True
    except Exception:
        logger.warning("API cache unavailable: response not stored", exc_info=True)
        return False


def store(request, response: HttpResponse, tags: Iterable[str]) -> bool:
    """Keep a successful public response with the versions of the tags it depends on.

    Used when ``ApiCacheMiddleware`` is not installed: the view answers hits itself and
    ``CachedGetMixin`` adds ETag and Cache-Control to them, so only the body and its
    Content-Type matter here."""
    if not _is_storable(response):
        return False
    content = bytes(response.content)
    headers = {"Content-Type": response["Content-Type"]}
    return _write(request, content, headers, {"ETag": etag_for(content)}, tags)


def store_served(
    request, response: HttpResponse, rendered: HttpResponse, tags: Iterable[str], early: frozenset[str]
) -> bool:
    """Keep what ``ApiCacheMiddleware`` is about to send, headers of every layer included.

    ``rendered`` is the view's 200 (the same object as ``response`` unless the client's
    If-None-Match turned it into a 304); ``early`` names the headers it had when DRF rendered
    it. A 304 repeats the headers added after that point (ETag, Cache-Control, Vary, and the
    inner middlewares' ones) and the RFC's list: exactly what a 304 from the view carries.
    """
    if response.status_code == 304:
        not_modified = _storable_headers(response.headers)
        headers = {**_storable_headers(rendered.headers), **not_modified}
    elif response is rendered:
        headers = _storable_headers(response.headers)
        not_modified = {
            name: value
            for name, value in headers.items()
            if name.lower() in _NOT_MODIFIED_NAMES or name.lower() not in early
        }
    else:  # something between the view and this middleware replaced the response
        return False
    if not _is_storable(rendered) or response.has_header("Set-Cookie") or not _public(response):
        return False
    return _write(request, bytes(rendered.content), headers, not_modified, tags)


def _public(response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control


def _is_storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.has_header("Set-Cookie"):
        return False
    return _public(response)


def _timeout() -> int:
    """Entries never outlive the next instant public output changes by time alone (a go-live
    or expiry date, ``visibility.next_public_change``): after it the selectors answer
    differently, and cached appearances must go with it."""
    return visibility.max_age(DEFAULT_TIMEOUT)


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

    Hits are normally answered by ``api.cache_middleware.ApiCacheMiddleware`` before the
    request reaches DRF. Without it, a hit here is a plain response with the stored bytes;
    ``api.http.CachedGetMixin`` then adds the same ETag (a hash of those bytes), Cache-Control
    and 304 handling as on a miss.
    """
    from publishing.affected import TAG_SITE

    def decorator(method):
        @functools.wraps(method)
        def wrapper(view, request, *args, **kwargs):
            if not enabled():
                return method(view, request, *args, **kwargs)
            django_request = getattr(request, "_request", request)
            # ApiCacheMiddleware already looked and missed; otherwise look here.
            if not getattr(django_request, MIDDLEWARE_MARK, False):
                entry = lookup(django_request)
                if entry is not None:
                    response = HttpResponse(entry.content, content_type=entry.headers.get("Content-Type"))
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


# Set on the Django request by ``lookup`` on a miss: the epoch before the response was built.
EPOCH_SEEN_ATTR = "_api_cache_epoch_seen"
# Set on the Django request by ``ApiCacheMiddleware`` when it handles the cache for it.
MIDDLEWARE_MARK = "_api_cache_middleware"
# Where ``SharedCacheMixin`` leaves a fresh response for the middleware to store.
PENDING_ATTR = "_api_cache_pending"


class SharedCacheMixin:
    """Stores responses of views whose GET is decorated with ``cached_response``.

    DRF renders the body in ``finalize_response``; this runs once the bytes exist, before
    ``CachedGetMixin`` (earlier in the MRO) adds ETag and answers 304. Behind
    ``ApiCacheMiddleware`` it only hands the response and its tags over: the middleware stores
    it with the headers every layer below it added, so its hits carry them too.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        tags = getattr(self, "_shared_cache_tags", None)
        if tags is not None and response.get(HIT_HEADER) == "MISS":
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            django_request = getattr(request, "_request", request)
            if getattr(django_request, MIDDLEWARE_MARK, False):
                early = frozenset(name.lower() for name in response.headers)
                setattr(django_request, PENDING_ATTR, (response, tags, early))
            else:
                store(django_request, response, tags)
        return response


def purge_urls_for(impact) -> list[str]:
    """API URLs a CDN should drop for a change (detail-by-path and the shared lists)."""

    base = f"{settings.WAGTAILADMIN_BASE_URL}/api/v1"
    urls = [f"{base}/articles/", f"{base}/topics/"]
    if impact.site_wide:
        urls.append(f"{base}/site/")
    urls += [f"{base}/resolve/?{urlencode({'path': path})}" for path in impact.sorted_paths()]
    return urls
