"""One source of truth for search and social metadata.

The rendered HTML (``templates/base.html`` through ``blog.templatetags.site_tags``) and the
API's ``seo`` object both call ``page_seo`` / ``listing_seo``, so a crawler of the CMS and a
crawler of the frontend see the same title, description, canonical, robots, Open Graph,
Twitter and JSON-LD.

Every ``seo`` dict has the same keys: ``title``, ``description``, ``canonical_url``,
``robots``, ``image`` (the sharing picture, see ``share_image``), ``open_graph``, ``twitter``,
``json_ld``.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import Filter, SourceImageIOError
from wagtail.models import Page

from blog import review, selectors
from blog.images import alt_text
from blog.models import ArticlePage, BlogIndexPage, HomePage, Location, PracticeSettings
from blog.representations import (
    LARGE_RENDITION_SPEC,
    isoformat,
    media_url,
    page_path,
    public_url,
    renditions_of,
    share_rendition_spec,
)
from blog.serp import DESCRIPTION_MAX_CHARS, cut_description

INDEX = "index,follow"
NOINDEX = "noindex,follow"
SCHEMA = "https://schema.org"


def plain_description(text: Any, *, limit: int = DESCRIPTION_MAX_CHARS) -> str:
    """Plain text for a meta description: tags stripped, whitespace collapsed, cut at a word
    boundary with an ellipsis when longer than ``limit``."""
    return cut_description(strip_tags(str(text or "")), limit=limit)


def ancestor_paths(page: Page) -> list[str]:
    """Tree paths of the pages ``breadcrumbs`` shows above ``page`` (home and below)."""
    step = page.steplen
    return [page.path[: step * depth] for depth in range(2, page.depth)]


def breadcrumbs(page: Page, *, ancestors: list[Page] | None = None) -> list[dict]:
    """[{title, path}] from the home page down to ``page`` (one query, none when the caller
    loaded the pages at ``ancestor_paths`` already)."""
    if ancestors is None:
        above = page.get_ancestors(inclusive=False).filter(depth__gte=2)
        ancestors = above.only("title", "url_path", "depth")
    else:
        ancestors = sorted(ancestors, key=lambda a: a.depth)
    crumbs = [{"title": a.title, "path": page_path(a)} for a in ancestors]
    crumbs.append({"title": page.title, "path": page_path(page)})
    return crumbs


def breadcrumb_list_ld(crumbs: list[dict]) -> dict:
    """schema.org BreadcrumbList with absolute item URLs on the public base URL."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": c["title"], "item": public_url(c["path"])}
            for i, c in enumerate(crumbs, start=1)
        ],
    }


SHARE_IMAGE_TYPE = "image/jpeg"


def share_image(
    *candidates: tuple[Any, str | None],
    default_of: PracticeSettings | None = None,
    context: dict | None = None,
) -> dict | None:
    """The picture a page is shared with: the first of ``candidates`` ((image, alt) pairs,
    ``alt`` None for the image's own), then the default sharing image of ``default_of``
    (loaded only when reached), that exists and can be rendered, as its sharing rendition
    (``representations.share_rendition_spec``): ``{"url", "width", "height", "alt",
    "type"}``, sizes of the real file.

    An SVG (nothing to crop) or an original missing from storage falls through to the
    next candidate rather than failing the page. A representation ``context`` lends its
    ``renditions`` (``representations.renditions_of``).
    """
    if default_of is not None and default_of.default_social_image_id:
        candidates = (*candidates, _LazyDefault(default_of))
    for candidate in candidates:
        image, alt = candidate.get() if isinstance(candidate, _LazyDefault) else candidate
        if image is None or image.is_svg():
            continue
        try:
            spec = Filter(spec=share_rendition_spec(image.width, image.height))
            rendition = renditions_of(image, (spec,), context)[spec.spec]
        except SourceImageIOError:
            continue
        return {
            "url": media_url(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "alt": alt or alt_text(image),
            "type": SHARE_IMAGE_TYPE,
        }
    return None


class _LazyDefault:
    """The practice's default sharing image with the alt text written for it in the
    settings, loaded (one query) only when no better candidate renders."""

    def __init__(self, practice: PracticeSettings):
        self.practice = practice

    def get(self) -> tuple[Any, str | None]:
        return self.practice.default_social_image, self.practice.default_social_image_alt or None


def _large_image_url(image) -> str | None:
    """Absolute URL of an image's large (uncropped) rendition, for structured data."""
    if image is None:
        return None
    return media_url(image.get_rendition(LARGE_RENDITION_SPEC).url)


def _person_ld(author) -> dict:
    person: dict[str, Any] = {
        "@type": "Person",
        "name": author.name,
        "url": public_url(author.path),
    }
    if author.credentials:
        person["honorificSuffix"] = author.credentials
        person["hasCredential"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": author.credentials,
        }
    if author.role:
        person["jobTitle"] = author.role
    return person


def _topic_names(page) -> list[str]:
    """The article's topic names by name: from the topics its caller loaded with their counts
    (``api_topics``, the API), else from the page."""
    loaded = getattr(page, "api_topics", None)
    if loaded is None:
        return [t.name for t in page.topics.all()]
    return [t.name for t in sorted(loaded, key=lambda t: t.name.lower())]


def organization_ld(practice: PracticeSettings, *, full: bool = False) -> dict:
    """The practice as a schema.org MedicalBusiness. ``full`` adds address, phone and areas."""
    org: dict[str, Any] = {
        "@type": "MedicalBusiness",
        "name": practice.practice_name,
        "url": public_url("/"),
    }
    if full:
        org = {"@context": SCHEMA, **org}
        if practice.tagline:
            org["description"] = practice.tagline
        if practice.phone:
            org["telephone"] = practice.phone
        if practice.email:
            org["email"] = practice.email
        if practice.city:
            org["address"] = {
                "@type": "PostalAddress",
                "streetAddress": practice.street_address,
                "addressLocality": practice.city,
                "addressRegion": practice.region,
                "postalCode": practice.postal_code,
                "addressCountry": "US",
            }
        org["areaServed"] = [
            {"@type": "State" if loc.kind == Location.Kind.TELEHEALTH else "City", "name": loc.name}
            for loc in Location.objects.all()
        ]
        org["medicalSpecialty"] = "Psychiatric"
        same_as = [link.value["url"] for link in practice.social_links]
        if same_as:
            org["sameAs"] = same_as
    return org


def _website_ld(practice: PracticeSettings) -> dict:
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": practice.practice_name,
        "url": public_url("/"),
        "inLanguage": "en-US",
        "publisher": organization_ld(practice),
    }


def _faq_ld(page: ArticlePage) -> dict | None:
    questions = []
    for child in page.body:
        if child.block_type == "faq":
            for item in child.value["items"]:
                questions.append(
                    {
                        "@type": "Question",
                        "name": item["question"],
                        "acceptedAnswer": {"@type": "Answer", "text": strip_tags(item["answer"].source)},
                    }
                )
    if not questions:
        return None
    return {"@context": SCHEMA, "@type": "FAQPage", "mainEntity": questions}


def _article_ld(page: ArticlePage, practice: PracticeSettings, canonical: str, image_url: str | None) -> dict:
    ld: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "BlogPosting",
        "headline": page.title[:110],
        "description": plain_description(page.search_description or page.excerpt, limit=300),
        "url": canonical,
        "mainEntityOfPage": {"@type": "MedicalWebPage", "@id": canonical},
        "datePublished": isoformat(page.first_published_at),
        "dateModified": isoformat(page.last_published_at or page.first_published_at),
        # Counted at save; rows saved before the field existed are counted now.
        "wordCount": page.body_word_count or page.word_count(),
        "timeRequired": f"PT{page.reading_time_minutes}M",
        "publisher": organization_ld(practice),
        "keywords": _topic_names(page),
        "inLanguage": "en-US",
    }
    if image_url:
        ld["image"] = image_url
    if page.author is not None:
        ld["author"] = _person_ld(page.author)
    else:
        # An article always has a responsible author: the practice when no person is named.
        ld["author"] = organization_ld(practice)
    # The same review state as the API's ``review`` (``blog.review.review_of``).
    state = review.review_of(page, interval_months=practice.review_interval_months)
    if state.reviewer is not None:
        ld["reviewedBy"] = _person_ld(state.reviewer)
        ld["mainEntityOfPage"]["reviewedBy"] = _person_ld(state.reviewer)
    if state.reviewed_at:
        ld["lastReviewed"] = state.reviewed_at.isoformat()
        ld["mainEntityOfPage"]["lastReviewed"] = state.reviewed_at.isoformat()
    return ld


def _social(
    *,
    title: str,
    description: str,
    canonical: str,
    image: dict | None,
    og_type: str,
    practice: PracticeSettings,
    extra: dict | None = None,
) -> tuple[dict, dict]:
    og: dict[str, Any] = {
        "og:type": og_type,
        "og:title": title,
        "og:description": description,
        "og:url": canonical,
        "og:site_name": practice.practice_name,
        "og:locale": "en_US",
    }
    if image:
        og["og:image"] = image["url"]
        og["og:image:width"] = image["width"]
        og["og:image:height"] = image["height"]
        og["og:image:type"] = image["type"]
        if image["alt"]:
            og["og:image:alt"] = image["alt"]
    og.update(extra or {})
    twitter = {
        # Every page has a sharing image once the practice has a default one.
        "twitter:card": "summary_large_image" if image else "summary",
        "twitter:title": title,
        "twitter:description": description,
    }
    if image:
        twitter["twitter:image"] = image["url"]
        if image["alt"]:
            twitter["twitter:image:alt"] = image["alt"]
    return og, twitter


def _page_description(page: Page, practice: PracticeSettings) -> str:
    """SEO description, else the excerpt, else the intro, else the practice's tagline."""
    for candidate in (
        page.search_description,
        getattr(page, "excerpt", ""),
        getattr(page, "intro", ""),
    ):
        text = plain_description(candidate)
        if text:
            return text
    return plain_description(f"{page.title}. {practice.tagline or practice.practice_name}")


def page_seo(
    page: Page, *, practice: PracticeSettings, crumbs: list[dict] | None = None, context: dict | None = None
) -> dict:
    """The ``seo`` object of a page: title, description, canonical, robots, og, twitter, json_ld
    (``context``: a representation context, whose renditions its sharing image reads)."""
    path = page_path(page)
    title = page.seo_title or page.title
    description = _page_description(page, practice)
    canonical = getattr(page, "canonical_url", "") or public_url(path)
    robots = NOINDEX if getattr(page, "noindex", False) else INDEX
    image = share_image(
        (getattr(page, "social_image", None), None),
        (getattr(page, "hero_image", None), None),
        default_of=practice,
        context=context,
    )
    image_url = image["url"] if image else None

    json_ld: list[dict] = []
    extra_og: dict[str, Any] = {}
    og_type = "website"
    if isinstance(page, ArticlePage):
        og_type = "article"
        json_ld.append(_article_ld(page, practice, canonical, image_url))
        extra_og = {
            "article:published_time": isoformat(page.first_published_at),
            "article:modified_time": isoformat(page.last_published_at or page.first_published_at),
        }
        if page.author is not None:
            extra_og["article:author"] = public_url(page.author.path)
        faq = _faq_ld(page)
        if faq:
            json_ld.append(faq)
    elif isinstance(page, HomePage):
        json_ld.append(organization_ld(practice, full=True))
        json_ld.append(_website_ld(practice))
    elif isinstance(page, BlogIndexPage):
        json_ld.append(
            {
                "@context": SCHEMA,
                "@type": "Blog",
                "name": title,
                "description": description,
                "url": canonical,
                "publisher": organization_ld(practice),
            }
        )
    else:
        webpage: dict[str, Any] = {"@context": SCHEMA, "@type": "WebPage", "name": title, "url": canonical}
        if description:
            webpage["description"] = description
        json_ld.append(webpage)
    if not isinstance(page, HomePage):
        json_ld.append(breadcrumb_list_ld(crumbs if crumbs is not None else breadcrumbs(page)))

    full_title = title if isinstance(page, HomePage) else f"{title} | {practice.practice_name}"
    og, twitter = _social(
        title=title,
        description=description,
        canonical=canonical,
        image=image,
        og_type=og_type,
        practice=practice,
        extra=extra_og,
    )
    return {
        "title": full_title,
        "description": description,
        "canonical_url": canonical,
        "robots": robots,
        "image": image,
        "open_graph": og,
        "twitter": twitter,
        "json_ld": json_ld,
    }


def listing_seo(
    *,
    title: str,
    description: str,
    path: str,
    crumbs: list[dict],
    practice: PracticeSettings,
    noindex: bool = False,
    ld_type: str = "CollectionPage",
    main_entity: dict | None = None,
    images: tuple[tuple[Any, str | None], ...] = (),
) -> dict:
    """The ``seo`` object of a non-page listing (topic and author pages).

    ``ld_type`` is the schema.org type of the page (``ProfilePage`` for an author),
    ``main_entity`` what it is about (the author as a ``Person``), ``images`` the pictures
    to share it with, best first ((image, alt) pairs, see ``share_image``); the practice's
    default sharing image comes after them.
    """
    canonical = public_url(path)
    description = plain_description(description)
    image_info = share_image(*images, default_of=practice)
    og, twitter = _social(
        title=title,
        description=description,
        canonical=canonical,
        image=image_info,
        og_type="profile" if ld_type == "ProfilePage" else "website",
        practice=practice,
    )
    page_ld: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": ld_type,
        "name": title,
        "url": canonical,
        "description": description,
    }
    if main_entity:
        page_ld["mainEntity"] = main_entity
    return {
        "title": f"{title} | {practice.practice_name}",
        "description": description,
        "canonical_url": canonical,
        "robots": NOINDEX if noindex else INDEX,
        "image": image_info,
        "open_graph": og,
        "twitter": twitter,
        "json_ld": [page_ld, breadcrumb_list_ld(crumbs)],
    }


def listing_crumbs(title: str, path: str) -> list[dict]:
    """Home › Blog › ``title``: the trail of a listing that lives under the blog (topic and
    author pages, rendered and in the API)."""
    crumbs = []
    index = selectors.blog_index_page()
    if index is not None:
        home = index.get_parent()
        crumbs = [
            {"title": home.title, "path": page_path(home)},
            {"title": index.title, "path": page_path(index)},
        ]
    crumbs.append({"title": title, "path": path})
    return crumbs


def topic_seo(
    topic, *, practice: PracticeSettings, crumbs: list[dict] | None = None, noindex: bool = False
) -> dict:
    """The topic listing's ``seo``, the same on the rendered page and in the API. Without a
    description of its own, one sentence naming the topic and the practice. ``crumbs``
    default to ``listing_crumbs``. Shared with the topic's own image, else the hero of its
    newest visible article, else the practice's default."""
    description = topic.description or (
        f"Articles about {topic.name.lower()} from the therapists of {practice.practice_name}: "
        "what it feels like, why it happens and what helps."
    )
    own = topic.social_image if topic.social_image_id else None
    return listing_seo(
        title=topic.name,
        description=description,
        path=topic.path,
        crumbs=crumbs if crumbs is not None else listing_crumbs(topic.name, topic.path),
        practice=practice,
        noindex=noindex,
        images=((own, None),) if own is not None else ((selectors.newest_topic_hero_image(topic), None),),
    )


def author_title(author) -> str:
    """ "Maya Chen, LMFT": the name with credentials, as profile pages title it."""
    return f"{author.name}, {author.credentials}" if author.credentials else author.name


def author_seo(
    author, *, practice: PracticeSettings, crumbs: list[dict] | None = None, noindex: bool = False
) -> dict:
    """The author profile's ``seo`` (a schema.org ``ProfilePage`` about the person), the same
    on the rendered page and in the API. Without a bio: name, role and practice. ``crumbs``
    default to ``listing_crumbs``."""
    title = author_title(author)
    description = plain_description(author.bio) or (
        f"{title}{f', {author.role}' if author.role else ''} at {practice.practice_name}."
    )
    return listing_seo(
        title=title,
        description=description,
        path=author.path,
        crumbs=crumbs if crumbs is not None else listing_crumbs(author.name, author.path),
        practice=practice,
        noindex=noindex,
        ld_type="ProfilePage",
        main_entity=author_person_ld(author),
        images=((author.photo, None),),
    )


def author_person_ld(author) -> dict:
    """An author as a schema.org Person (for profile pages' ``main_entity``)."""
    person = _person_ld(author)
    if author.photo_id:
        person["image"] = _large_image_url(author.photo)
    return person


def paginated(seo: dict, number: int) -> dict:
    """The ``seo`` of page ``number`` of a listing: its own title, description and
    self-referencing canonical (``?page=N``), so no two crawled URLs share them."""
    if number <= 1:
        return seo
    suffix = f"page {number}"
    canonical = f"{seo['canonical_url'].split('?', 1)[0]}?page={number}"
    head, sep, site = seo["title"].rpartition(" | ")
    title = f"{head} ({suffix}){sep}{site}" if sep else f"{seo['title']} ({suffix})"
    description = plain_description(f"{seo['description']} (Page {number}.)", limit=200)
    og = {
        **seo["open_graph"],
        "og:url": canonical,
        "og:title": f"{seo['open_graph']['og:title']} ({suffix})",
        "og:description": description,
    }
    twitter = {**seo["twitter"], "twitter:title": og["og:title"], "twitter:description": description}
    json_ld = []
    for item in seo["json_ld"]:
        if item.get("@type") != "BreadcrumbList" and item.get("url") == seo["canonical_url"]:
            item = {**item, "url": canonical, "name": og["og:title"]}
        json_ld.append(item)
    return {
        **seo,
        "title": title,
        "description": description,
        "canonical_url": canonical,
        "open_graph": og,
        "twitter": twitter,
        "json_ld": json_ld,
    }


_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` element. ``<``, ``>`` and ``&`` are escaped
    as JSON unicode escapes (like Django's ``json_script``), so text such as ``</script>`` in a
    title can never end the element early."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308
