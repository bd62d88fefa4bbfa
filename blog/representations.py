"""Plain-data representations shared by blocks, the API serializers and the SEO helper.

Blocks own their API output by calling these; the API's serializers describe the same shapes
for the schema. Nothing here queries per item when the caller passes prefetched objects in
``context`` (see ``api`` for how list and detail views prefetch).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, Site
from wagtail.rich_text import RichText, features
from wagtail.rich_text.rewriters import (
    FIND_A_TAG,
    EmbedRewriter,
    LinkRewriter,
    MultiRuleRewriter,
    extract_attrs,
)

from blog import visibility
from blog.images import alt_text

if TYPE_CHECKING:
    from wagtail.images.models import AbstractImage

# Renditions offered for srcset. Fixed specs (never upscaled by Wagtail's width filter) so a
# queryset can prefetch them all at once with ``prefetch_renditions(*RENDITION_SPECS)``.
RENDITION_WIDTHS = (400, 800, 1200)
RENDITION_SPECS = tuple(f"width-{w}" for w in RENDITION_WIDTHS) + tuple(
    f"width-{w}|format-webp" for w in RENDITION_WIDTHS
)
LARGE_RENDITION_SPEC = "width-1200"
# Social networks show shared links with a 1.91:1 picture, at most 1200 × 628 (Facebook,
# LinkedIn, X's large card); a smaller picture is shown smaller, an upscaled one only blurrier.
SHARE_WIDTH = 1200
SHARE_HEIGHT = 628


def share_rendition_spec(width: int, height: int) -> str:
    """Wagtail filter spec of the sharing rendition of a ``width`` × ``height`` original: the
    largest 1.91:1 crop it allows (around its focal point, as ``fill`` does), at most
    ``SHARE_WIDTH`` wide, never upscaled, as JPEG (what every network accepts).

    ``fill-1200x628`` alone keeps a smaller original's crop at its own size under the
    1200x628 name; naming the crop's size keeps the spec honest. The file's size can still
    differ from the name by the pixel Wagtail's crop rounds to: read it from the rendition.
    """
    crop_width = max(min(SHARE_WIDTH, width, height * SHARE_WIDTH // SHARE_HEIGHT), 1)
    crop_height = max(round(crop_width * SHARE_HEIGHT / SHARE_WIDTH), 1)
    return f"fill-{crop_width}x{crop_height}{SHARE_SPEC_SUFFIX}"


# Every sharing spec is ``fill-<w>x<h>`` and this; nothing else makes JPEG fills, so
# selectors can prefetch an image's sharing rendition with its srcset whatever its size.
SHARE_SPEC_SUFFIX = "|format-jpeg"


def public_url(path: str) -> str:
    """Absolute URL of a public path, on the public site's base URL."""
    return f"{settings.PUBLIC_BASE_URL}{path}"


def media_url(url: str) -> str:
    """Absolute URL of a media file (renditions are served by the CMS or its CDN)."""
    if url.startswith(("http://", "https://")):
        return url
    return f"{getattr(settings, 'MEDIA_BASE_URL', settings.WAGTAILADMIN_BASE_URL)}{url}"


def isoformat(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


# Per-request memo (see ``request_scope``): values that are the same for every item of a
# response and cost a query, a cache round trip or a ``reverse()`` each time they are built.
_scope: ContextVar[dict | None] = ContextVar("api_representation_scope", default=None)


@contextmanager
def request_scope() -> Iterator[dict]:
    """Within it, the site root paths are looked up once and topic and author paths reversed
    once.

    Entered for every API request (``api.views.base.PublicApiView``). Without it (templates,
    feeds) every call asks Wagtail again, which reads the shared cache when it is on: with the
    cache off that was a ``wagtailcore_site`` query per summary, link and breadcrumb.
    """
    token = _scope.set({})
    try:
        yield _scope.get()
    finally:
        _scope.reset(token)


def site_root_paths() -> list:
    """Wagtail's site root paths, once per ``request_scope``."""
    scope = _scope.get()
    if scope is None:
        return Site.get_site_root_paths()
    roots = scope.get("root_paths")
    if roots is None:
        roots = scope["root_paths"] = Site.get_site_root_paths()
    return roots


def page_path(page: Page) -> str:
    """Public path of a page (``/blog/emotional-numbness/``), without a Site query per call
    inside a ``request_scope`` (elsewhere Wagtail's shared cache holds the root paths)."""
    url_path = page.url_path
    for root in site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return url_path


# Separates rich text fields expanded together in one batch (see ``expand_rich_text_batch``):
# a character that never occurs in editor content and that the rewriter leaves alone.
_BATCH_SEPARATOR = "\u2063\u241e\u2063"


def _source_of(value: Any) -> str:
    if value is None:
        return ""
    return value.source if isinstance(value, RichText) else str(value)


# Draftail keeps a key on every block it saved (``<p data-block-key="x1b2c">``) for the
# admin's inline comments: editor-internal, meaningless to a frontend.
_BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


def _public_html(html: str) -> str:
    # Documents are served by the CMS, not the frontend: make their links absolute.
    html = html.replace('href="/documents/', f'href="{media_url("/documents/")}')
    return _BLOCK_KEY.sub("", html) if "data-block-key" in html else html


def rich_text_page_ids(values: list[Any]) -> set[int]:
    """Ids of the pages that rich text values link to (``<a linktype="page" id=…>``)."""
    ids = set()
    for source in (_source_of(v) for v in values):
        if 'linktype="page"' not in source:
            continue
        for attrs in (extract_attrs(m) for m in FIND_A_TAG.findall(source)):
            if attrs.get("linktype") == "page" and str(attrs.get("id", "")).isdigit():
                ids.add(int(attrs["id"]))
    return ids


# Pages the caller already checked (``selectors.body_objects``): {id: page if public, else None}.
_known_pages: ContextVar[dict | None] = ContextVar("rich_text_known_pages", default=None)


def expand_rich_text_batch(values: list[Any], *, public_pages: dict | None = None) -> dict[str, str]:
    """Front-end HTML of many rich text values at once: {source: html}.

    Wagtail's rewriter looks up linked pages and documents once per call, so expanding a
    body's rich text field by field costs a query per field; joined, it costs one, and none
    for page links when ``public_pages`` (from ``selectors.body_objects``) covers them.
    """
    sources = list(dict.fromkeys(s for s in (_source_of(v) for v in values) if s))
    if not sources:
        return {}
    rewrite = _api_rewriter()
    token = _known_pages.set(public_pages)
    try:
        expanded = rewrite(_BATCH_SEPARATOR.join(sources)).split(_BATCH_SEPARATOR)
        if len(expanded) != len(sources):  # a separator swallowed by malformed markup: one by one
            expanded = [rewrite(source) for source in sources]
    finally:
        _known_pages.reset(token)
    return {source: _public_html(html) for source, html in zip(sources, expanded, strict=True)}


def rich_text_html(value: Any, context: dict | None = None) -> str:
    """Front-end HTML of a rich text value: page links resolved to public paths, no
    editor-internal markup (``<a linktype=…>``, ``<embed …>``), document links absolute.

    Uses ``context["rich_text"]`` (from ``expand_rich_text_batch``) when the caller expanded
    the whole body at once.
    """
    source = _source_of(value)
    if not source:
        return ""
    batch = (context or {}).get("rich_text")
    if batch is not None and source in batch:
        return batch[source]
    return _public_html(_api_rewriter()(source))


def _live_page_links(attrs_list: list[dict]) -> list[str]:
    """``<a linktype="page" id=…>`` → ``<a href="/public/path/">`` in one query; a link to a page
    that is not visible (``blog.visibility``) loses its href rather than pointing at a draft."""
    ids = {str(attrs.get("id")) for attrs in attrs_list}
    numeric = {int(i) for i in ids if i.isdigit()}
    known = _known_pages.get()
    if known is not None and numeric <= known.keys():
        pages = {str(pk): page for pk, page in known.items() if page is not None}
    else:
        visible = Page.objects.filter(visibility.visible_q(), pk__in=numeric).only("pk", "url_path")
        pages = {str(p.pk): p for p in visible}
    tags = []
    for attrs in attrs_list:
        page = pages.get(str(attrs.get("id")))
        tags.append(f'<a href="{escape(page_path(page))}">' if page is not None else "<a>")
    return tags


@cache
def _api_rewriter():
    """Wagtail's front-end rewriter, except page links: public paths of live pages only."""
    link_rules = features.get_link_types()
    embed_rules = features.get_embed_types()
    bulk_links = {name: handler.expand_db_attributes_many for name, handler in link_rules.items()}
    bulk_links["page"] = _live_page_links
    return MultiRuleRewriter(
        [
            LinkRewriter(
                bulk_rules=bulk_links,
                reference_extractors={n: h.extract_references for n, h in link_rules.items()},
            ),
            EmbedRewriter(
                bulk_rules={n: h.expand_db_attributes_many for n, h in embed_rules.items()},
                reference_extractors={n: h.extract_references for n, h in embed_rules.items()},
            ),
        ]
    )


def page_type(page: Page) -> str:
    """What a frontend renders a specific page as (the contract's ``resolve`` types):
    ``article``, ``article_index``, ``home`` or ``page`` (standard, consultation, any other)."""
    from blog.models import ArticlePage, BlogIndexPage, HomePage  # the models import this module

    if isinstance(page, ArticlePage):
        return "article"
    if isinstance(page, BlogIndexPage):
        return "article_index"
    if isinstance(page, HomePage):
        return "home"
    return "page"


def link(page: Page | None, url: str | None, label: str) -> dict:
    """A button or link to a page of ours (``path`` set) or to an external URL."""
    if page is not None:
        specific_path = page_path(page)
        return {"label": label, "url": public_url(specific_path), "path": specific_path}
    return {"label": label, "url": url or "", "path": None}


class StoredRendition(NamedTuple):
    """A rendition read as plain values (``selectors.stored_renditions``): what a
    representation shows of it, without a model instance per rendition."""

    url: str
    width: int
    height: int


def renditions_of(img: AbstractImage, filters: tuple, context: dict | None) -> dict[str, Any]:
    """``{spec: rendition}`` of ``img`` for ``filters`` (Wagtail ``Filter`` objects), each with
    ``url``, ``width`` and ``height``: from ``context["renditions"]`` when it holds every one
    (matched as Wagtail matches them, by spec and the filter's focal point key), else from
    Wagtail's ``get_renditions``, which makes the missing ones."""
    stored = (context or {}).get("renditions", {}).get(img.pk)
    if stored is not None:
        found = {}
        for rendition_filter in filters:
            row = stored.get((rendition_filter.spec, rendition_filter.get_cache_key(img)))
            if row is None:
                break
            found[rendition_filter.spec] = row
        else:
            return found
    return img.get_renditions(*filters)


@cache
def _rendition_filters() -> tuple:
    # Parsed once per process: ``get_renditions`` would parse the spec strings on every call.
    from wagtail.images.models import Filter

    return tuple(Filter(spec=spec) for spec in RENDITION_SPECS)


def image(img: AbstractImage | None, *, alt: str | None = None, context: dict | None = None) -> dict | None:
    """The contract's ``Image``: alt, size, a large URL, srcset renditions and focal point.

    Built once per (image, alt) and ``context``: a page of summaries shares a handful of hero
    images and author photos. The returned dict is shared, so callers must not modify it.
    """
    if img is None:
        return None
    if context is None:
        return _image(img, alt, None)
    memo = context.setdefault("_image_reps", {})
    key = (img.pk, alt)
    if img.pk is None or key not in memo:
        rep = _image(img, alt, context)
        if img.pk is None:
            return rep
        memo[key] = rep
    return memo[key]


def _image(img: AbstractImage, alt: str | None, context: dict | None) -> dict:
    prefetched = (context or {}).get("images", {}).get(img.pk)
    if prefetched is not None:
        img = prefetched
    renditions = renditions_of(img, _rendition_filters(), context)
    seen: set[tuple[int, str]] = set()
    items = []
    urls = {}  # each rendition's URL built once (its storage's ``url()`` is not free)
    for spec in RENDITION_SPECS:
        rendition = renditions[spec]
        url = urls[spec] = rendition.url
        fmt = "webp" if "format-webp" in spec else _format_of(url)
        key = (rendition.width, fmt)
        if key in seen:  # a small original gives the same size for several widths
            continue
        seen.add(key)
        items.append(
            {"url": media_url(url), "width": rendition.width, "height": rendition.height, "format": fmt}
        )
    large = renditions[LARGE_RENDITION_SPEC]
    focal = None
    if img.has_focal_point():
        focal = {"x": img.focal_point_x, "y": img.focal_point_y}
    return {
        "alt": alt if alt is not None else alt_text(img),
        # The size of the picture ``url`` points to (a browser reserves this box for it).
        "width": large.width,
        "height": large.height,
        "url": media_url(urls[LARGE_RENDITION_SPEC]),
        "renditions": items,
        "focal_point": focal,
    }


def _related_image(obj, field: str, context: dict | None):
    """``obj.<field>`` from ``context["images"]`` (prefetched with renditions) when there,
    without loading the foreign key; None when unset."""
    image_id = getattr(obj, f"{field}_id", None)
    if image_id is None:
        return None
    prefetched = (context or {}).get("images", {}).get(image_id)
    return prefetched if prefetched is not None else getattr(obj, field)


def _format_of(url: str) -> str:
    ext = url.rsplit(".", 1)[-1].lower()
    return {"jpg": "jpeg"}.get(ext, ext)


def topic(tag, article_count: int | None = None) -> dict:
    """The contract's ``Topic``; its path is reversed once per ``request_scope``."""
    count = article_count if article_count is not None else getattr(tag, "article_count", None)
    path = _scoped_path("topic", tag)
    return {
        "slug": tag.slug,
        "name": tag.name,
        "path": path,
        "url": public_url(path),
        "article_count": count if count is not None else 0,
    }


def _scoped_path(kind: str, obj) -> str:
    """``obj.path`` (a ``reverse()``), once per slug and ``request_scope``."""
    scope = _scope.get()
    if scope is None:
        return obj.path
    paths = scope.setdefault(f"{kind}_paths", {})
    path = paths.get(obj.slug)
    if path is None:
        path = paths[obj.slug] = obj.path
    return path


def author_summary(author, context: dict | None = None) -> dict | None:
    if author is None:
        return None
    return {
        "slug": author.slug,
        "name": author.name,
        "credentials": author.credentials,
        "role": author.role,
        "photo": image(_related_image(author, "photo", context), alt=author.name, context=context),
        "path": _scoped_path("author", author),
    }


def approach(approach_obj, *, summary_override=None, context: dict | None = None) -> dict:
    summary = summary_override if summary_override and summary_override.source else approach_obj.summary
    read_more = None
    if approach_obj.link_page_id or approach_obj.link_url:
        read_more = link(approach_obj.link_page, approach_obj.link_url, f"More about {approach_obj.name}")
    return {
        "name": approach_obj.name,
        "abbreviation": approach_obj.abbreviation or None,
        "summary": rich_text_html(summary, context),
        "evidence_note": approach_obj.evidence_note or None,
        "link": read_more,
    }


def article_summary(article, context: dict | None = None) -> dict:
    """The contract's ``ArticleSummary``. Expects topics, hero image and author prefetched."""
    path = page_path(article)
    topic_counts = (context or {}).get("topic_counts", {})
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "path": path,
        "url": public_url(path),
        "excerpt": article.excerpt,
        "published_at": isoformat(article.first_published_at),
        "updated_at": isoformat(article.last_published_at or article.latest_revision_created_at),
        "reading_time_minutes": article.reading_time_minutes,
        "hero_image": image(_related_image(article, "hero_image", context), context=context),
        "topics": [
            _topic_memo(t, topic_counts.get(t.pk), context)
            for t in sorted(_topics_of(article), key=lambda t: t.name.lower())
        ],
        "author": author_summary(article.author, context),
    }


def _topic_memo(tag, count: int | None, context: dict | None) -> dict:
    # The 20 items of a page share a few of the 30 topics: build each dict once.
    if context is None:
        return topic(tag, count)
    memo = context.setdefault("_topic_reps", {})
    key = (tag.pk, count if count is not None else getattr(tag, "article_count", None))
    rep = memo.get(key)
    if rep is None:
        rep = memo[key] = topic(tag, count)
    return rep


def _topics_of(article) -> list:
    # ``api_topics`` (with live counts) is set by ``selectors.prepare_article_summaries``.
    topics = getattr(article, "api_topics", None)
    return topics if topics is not None else list(article.topics.all())


def live_article_summary(page, context: dict | None = None) -> dict | None:
    """Summary of an article pointed to by a block, or None when it is not live and public."""
    if page is None:
        return None
    articles = (context or {}).get("articles")
    if articles is not None:
        article = articles.get(page.pk)
    else:
        from blog import selectors

        article = selectors.article_summaries(selectors.live_articles()).filter(pk=page.pk).first()
    return article_summary(article, context) if article is not None else None
