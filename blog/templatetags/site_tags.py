"""Template tags of the server-rendered site: head metadata, responsive images, heading levels.

Queries stay in ``blog.selectors``; these tags only call them and shape the results for
templates.
"""

from __future__ import annotations

from django import template
from django.core.paginator import Page as PaginatorPage
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from wagtail.models import Page

from blog import selectors, seo
from blog.blocks import HeadingBlock
from blog.images import alt_text as image_alt_text
from blog.models import ArticlePage, PracticeSettings
from blog.representations import RENDITION_WIDTHS

register = template.Library()

# What an image's rendered width is at each breakpoint, for the browser to pick a rendition.
SIZES = {
    "hero": "(min-width: 52rem) 48rem, calc(100vw - 2rem)",
    "content": "(min-width: 52rem) 48rem, calc(100vw - 2rem)",
    "card": "(min-width: 52rem) 15rem, calc(100vw - 2rem)",
    "avatar": "8rem",
}


@register.simple_tag(takes_context=True)
def page_meta(context) -> dict:
    """Everything the page chrome needs: ``seo`` (see ``blog.seo``), ``crumbs`` and ``feeds``.

    Wagtail pages get their metadata from ``seo.page_seo``; views of non-page listings pass
    ``seo`` and ``crumbs`` in their context. Error pages have neither and get none.
    """
    request = context.get("request")
    seo_data = context.get("seo")
    crumbs = context.get("crumbs")
    page = context.get("page")
    if seo_data is None and isinstance(page, Page):
        practice = PracticeSettings.load(request_or_site=request)
        crumbs = seo.breadcrumbs(page) if page.depth > 2 else []
        seo_data = seo.page_seo(page, practice=practice, crumbs=crumbs or None)
        listing = context.get("articles")
        if isinstance(listing, PaginatorPage) and not getattr(page, "canonical_url", ""):
            seo_data = seo.paginated(seo_data, listing.number)
        if getattr(request, "is_preview", False):
            # A draft shown in the admin's preview must never be indexed.
            seo_data = {**seo_data, "robots": seo.NOINDEX}
    feeds = [
        {"type": "application/rss+xml", "title": "Articles (RSS)", "href": reverse("feed-rss")},
        {"type": "application/atom+xml", "title": "Articles (Atom)", "href": reverse("feed-atom")},
    ]
    topic = context.get("topic")
    if topic is not None:
        feeds += [
            {
                "type": "application/rss+xml",
                "title": f"{topic.name} articles (RSS)",
                "href": reverse("topic-feed-rss", kwargs={"slug": topic.slug}),
            },
            {
                "type": "application/atom+xml",
                "title": f"{topic.name} articles (Atom)",
                "href": reverse("topic-feed-atom", kwargs={"slug": topic.slug}),
            },
        ]
    return {"seo": seo_data, "crumbs": crumbs or [], "feeds": feeds}


@register.filter
def json_ld(data: dict) -> SafeString:
    """Render one JSON-LD object as a safely escaped script element."""
    return seo.json_ld_script(data)


@register.simple_tag
def responsive_image(
    image, *, alt=None, sizes="content", priority=False, eager=False, css_class=""
) -> SafeString:
    """A ``<picture>`` with WebP and original-format ``srcset``s, width, height and lazy loading.

    Uses the same renditions as the API (``RENDITION_SPECS``), so listings prefetch them with
    ``selectors.image_queryset()`` and nothing is generated twice. ``priority`` marks the
    image at the top of a page (the LCP candidate): eager, high fetch priority; ``eager``
    only skips lazy loading (the first card of a listing); every other image loads lazily.
    """
    if image is None:
        return SafeString("")
    renditions = image.get_renditions(*[f"width-{w}" for w in RENDITION_WIDTHS])
    webp = image.get_renditions(*[f"width-{w}|format-webp" for w in RENDITION_WIDTHS])

    def srcset(items) -> str:
        seen, parts = set(), []
        for rendition in items:
            if rendition.width in seen:  # a small original gives one size for several widths
                continue
            seen.add(rendition.width)
            parts.append(f"{rendition.url} {rendition.width}w")
        return ", ".join(parts)

    ordered = [renditions[f"width-{w}"] for w in RENDITION_WIDTHS]
    ordered_webp = [webp[f"width-{w}|format-webp"] for w in RENDITION_WIDTHS]
    fallback = ordered[1]
    largest = ordered[-1]
    size_hint = SIZES.get(sizes, sizes)
    alt_text = alt if alt is not None else image_alt_text(image)
    if priority:
        loading = 'loading="eager" fetchpriority="high"'
    else:
        loading = 'loading="eager"' if eager else 'loading="lazy"'
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {} decoding="async"{}>'
        "</picture>",
        srcset(ordered_webp),
        size_hint,
        fallback.url,
        srcset(ordered),
        size_hint,
        largest.width,
        largest.height,
        alt_text,
        SafeString(loading),
        format_html(' class="{}"', css_class) if css_class else "",
    )


@register.filter
def with_heading_levels(stream) -> list[tuple]:
    """Pair each block of a StreamField with the heading level its own title should use.

    Headings must never skip a level (h1 → h3) for screen-reader users, so a heading block
    renders at most one level below the previous heading, and titled blocks (lists, FAQs,
    approaches, calls to action) sit one level below the heading they follow.
    """
    current = 1  # the page's h1
    pairs = []
    for child in stream:
        if child.block_type == "heading":
            level = min(int(child.value["level"]), current + 1)
            current = level
            pairs.append((child, level))
        else:
            pairs.append((child, min(current + 1, 6)))
    return pairs


@register.simple_tag
def add_level(level: int, step: int = 1) -> int:
    return min(int(level) + step, 6)


@register.simple_tag(takes_context=True)
def live_article(context, page) -> ArticlePage | None:
    """The article a related-article block points to, when it is visible.

    On an article page the view loaded the targets of all its blocks at once
    (``ArticlePage.get_context``: ``live_related``); elsewhere this costs one query.
    """
    if page is None:
        return None
    live_related = context.get("live_related")
    if live_related is not None:
        return live_related.get(page.pk)
    return selectors.live_articles().defer("body").filter(pk=page.pk).first()


@register.simple_tag
def sorted_topics(article) -> list:
    return sorted(article.topics.all(), key=lambda t: t.name.lower())


@register.simple_tag
def tel_href(number: str) -> str:
    """``tel:`` link target: digits and a leading plus only."""
    cleaned = "".join(ch for ch in str(number) if ch.isdigit() or ch == "+")
    return f"tel:{cleaned}"


@register.simple_tag
def open_graph_tags(values: dict) -> SafeString:
    return format_html_join("\n  ", '<meta property="{}" content="{}">', values.items())


@register.simple_tag
def twitter_tags(values: dict) -> SafeString:
    return format_html_join("\n  ", '<meta name="{}" content="{}">', values.items())


@register.simple_tag
def has_block(stream, block_type: str) -> bool:
    """Whether a StreamField value contains a block of ``block_type``."""
    return any(child.block_type == block_type for child in stream)


@register.simple_tag
def latest_articles(count: int = 3) -> list[ArticlePage]:
    """The newest listed articles (no drafts, no hidden-from-search pages)."""
    return list(selectors.article_summaries(selectors.newest_articles(selectors.listed_articles()))[:count])


@register.simple_tag
def blog_index():
    return selectors.blog_index_page()


@register.simple_tag
def topics_with_articles() -> list:
    return list(selectors.topics_with_listed_articles())


@register.simple_tag
def heading_anchor(value) -> str:
    """The id of a heading block: the same anchor the table of contents and the API use."""
    return HeadingBlock.anchor_for(value)


@register.filter
def nested_toc(entries: list[dict]) -> list[dict]:
    """The flat table of contents as sections with their sub-sections, so the rendered list
    nests (and numbers) like the headings: ``[{"id", "text", "level", "children": [...]}]``."""
    sections: list[dict] = []
    for entry in entries:
        if entry["level"] == 3 and sections:
            sections[-1]["children"].append(entry)
        else:
            sections.append({**entry, "children": []})
    return sections
