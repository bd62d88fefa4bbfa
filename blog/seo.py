"""One source of truth for search and social metadata.

The rendered HTML (``templates/base.html``) and the API's ``seo`` object both call
``page_seo`` / ``listing_seo``, so a crawler of the CMS and a crawler of the frontend see the
same title, description, canonical, robots, Open Graph, Twitter and JSON-LD.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import strip_tags
from wagtail.models import Page

from blog.models import ArticlePage, HomePage, Location, PracticeSettings
from blog.representations import (
    LARGE_RENDITION_SPEC,
    isoformat,
    media_url,
    page_path,
    public_url,
)

INDEX = "index,follow"
NOINDEX = "noindex,follow"


def breadcrumbs(page: Page) -> list[dict]:
    """[{title, path}] from the home page down to ``page`` (one query)."""
    ancestors = page.get_ancestors(inclusive=False).filter(depth__gte=2).only("title", "url_path", "depth")
    crumbs = [{"title": a.title, "path": page_path(a)} for a in ancestors]
    crumbs.append({"title": page.title, "path": page_path(page)})
    return crumbs


def breadcrumb_list_ld(crumbs: list[dict]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": c["title"], "item": public_url(c["path"])}
            for i, c in enumerate(crumbs, start=1)
        ],
    }


def _image_url(image) -> str | None:
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


def organization_ld(practice: PracticeSettings, *, full: bool = False) -> dict:
    """The practice as a schema.org MedicalBusiness. ``full`` adds address, phone and areas."""
    org: dict[str, Any] = {
        "@type": "MedicalBusiness",
        "name": practice.practice_name,
        "url": public_url("/"),
    }
    if full:
        org["@context"] = "https://schema.org"
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
    return {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions}


def _article_ld(page: ArticlePage, practice: PracticeSettings, canonical: str, image_url: str | None) -> dict:
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": page.title[:110],
        "description": page.search_description or page.excerpt,
        "url": canonical,
        "mainEntityOfPage": {"@type": "MedicalWebPage", "@id": canonical},
        "datePublished": isoformat(page.first_published_at),
        "dateModified": isoformat(page.last_published_at or page.first_published_at),
        "wordCount": page.word_count(),
        "timeRequired": f"PT{page.reading_time_minutes}M",
        "publisher": organization_ld(practice),
        "keywords": [t.name for t in page.topics.all()],
        "inLanguage": "en-US",
    }
    if image_url:
        ld["image"] = image_url
    if page.author is not None:
        ld["author"] = _person_ld(page.author)
    if page.reviewer is not None:
        ld["reviewedBy"] = _person_ld(page.reviewer)
        ld["mainEntityOfPage"]["reviewedBy"] = _person_ld(page.reviewer)
    if page.last_reviewed:
        ld["lastReviewed"] = page.last_reviewed.isoformat()
        ld["mainEntityOfPage"]["lastReviewed"] = page.last_reviewed.isoformat()
    return ld


def _social(
    *, title: str, description: str, canonical: str, image_url: str | None, og_type: str, practice, extra=None
) -> tuple[dict, dict]:
    og = {
        "og:type": og_type,
        "og:title": title,
        "og:description": description,
        "og:url": canonical,
        "og:site_name": practice.practice_name,
        "og:locale": "en_US",
    }
    if image_url:
        og["og:image"] = image_url
    og.update(extra or {})
    twitter = {
        "twitter:card": "summary_large_image" if image_url else "summary",
        "twitter:title": title,
        "twitter:description": description,
    }
    if image_url:
        twitter["twitter:image"] = image_url
    return og, twitter


def page_seo(page: Page, *, practice: PracticeSettings, crumbs: list[dict] | None = None) -> dict:
    """The ``seo`` object of a page: title, description, canonical, robots, og, twitter, json_ld."""
    path = page_path(page)
    title = page.seo_title or page.title
    description = page.search_description or getattr(page, "excerpt", "") or getattr(page, "intro", "") or ""
    description = strip_tags(str(description)).strip()
    canonical = getattr(page, "canonical_url", "") or public_url(path)
    robots = NOINDEX if getattr(page, "noindex", False) else INDEX
    image = getattr(page, "social_image", None) or getattr(page, "hero_image", None)
    image_url = _image_url(image)

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
        faq = _faq_ld(page)
        if faq:
            json_ld.append(faq)
    elif isinstance(page, HomePage):
        json_ld.append(organization_ld(practice, full=True))
    else:
        json_ld.append(
            {"@context": "https://schema.org", "@type": "WebPage", "name": title, "url": canonical}
        )
    if not isinstance(page, HomePage):
        json_ld.append(breadcrumb_list_ld(crumbs if crumbs is not None else breadcrumbs(page)))

    full_title = title if isinstance(page, HomePage) else f"{title} | {practice.practice_name}"
    og, twitter = _social(
        title=title,
        description=description,
        canonical=canonical,
        image_url=image_url,
        og_type=og_type,
        practice=practice,
        extra=extra_og,
    )
    return {
        "title": full_title,
        "description": description,
        "canonical_url": canonical,
        "robots": robots,
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
) -> dict:
    """The ``seo`` object of a non-page listing (topic and author pages)."""
    canonical = public_url(path)
    og, twitter = _social(
        title=title,
        description=description,
        canonical=canonical,
        image_url=None,
        og_type="website",
        practice=practice,
    )
    return {
        "title": f"{title} | {practice.practice_name}",
        "description": description,
        "canonical_url": canonical,
        "robots": NOINDEX if noindex else INDEX,
        "open_graph": og,
        "twitter": twitter,
        "json_ld": [
            {"@context": "https://schema.org", "@type": "CollectionPage", "name": title, "url": canonical},
            breadcrumb_list_ld(crumbs),
        ],
    }
