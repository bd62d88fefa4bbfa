"""Build the demo site from ``blog.demo.content``, idempotently.

Every object is looked up by a natural key (a slug, a name, an image title) and created only when
missing; nothing that exists is changed, so running the command again changes nothing and edits
made in the admin survive ``make run``. Everything happens in one transaction: a failure leaves
the database as it was.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from blog import review
from blog.demo import content, images
from blog.models import (
    ArticlePage,
    ArticleRelatedPick,
    Author,
    BlogIndexPage,
    HomePage,
    Location,
    PracticeSettings,
    StandardPage,
    TherapeuticApproach,
    Topic,
)
from blog.models.review import CLINICIANS_GROUP

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"\*(.+?)\*")
_PUBLISH_HOUR = 9


class DemoContentError(Exception):
    """The demo cannot be built on this database as it stands (explained in the message)."""


@dataclass
class DemoSite:
    """What the builder made or found, keyed the way ``content.py`` refers to it."""

    images: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    authors: dict = field(default_factory=dict)
    approaches: dict = field(default_factory=dict)
    created: Counter = field(default_factory=Counter)
    home_body_pending: bool = False
    new_images: set = field(default_factory=set)

    def page_id(self, key: str) -> int:
        try:
            return self.pages[key].pk
        except KeyError:
            raise DemoContentError(f"The demo content links to an unknown page or article {key!r}.") from None


# ----------------------------------------------------------------------------- text helpers


def inline(text: str, site: DemoSite) -> str:
    """Escape ``text`` and turn the inline conventions of ``content.py`` into rich text HTML."""

    def link(match: re.Match) -> str:
        words, target = match.group(1), match.group(2)
        if target.startswith(("https://", "http://")):
            return f'<a href="{html.escape(target)}">{words}</a>'
        return f'<a linktype="page" id="{site.page_id(target)}">{words}</a>'

    out = html.escape(text, quote=False)
    out = _LINK.sub(link, out)
    out = _BOLD.sub(r"<b>\1</b>", out)
    return _ITALIC.sub(r"<i>\1</i>", out)


def rich(*paragraphs: str | list[str], site: DemoSite) -> str:
    """Rich text HTML: each string a paragraph, each list a bulleted list."""
    parts = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        if isinstance(paragraph, list):
            parts.append("<ul>" + "".join(f"<li>{inline(i, site)}</li>" for i in paragraph) + "</ul>")
        else:
            parts.append(f"<p>{inline(paragraph, site)}</p>")
    return "".join(parts)


def _block_id(*parts) -> str:
    # Stable ids: the same demo text always gets the same block ids.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "demo/" + "/".join(str(p) for p in parts)))


def _list(items: list, owner: str) -> list[dict]:
    return [{"type": "item", "value": item, "id": _block_id(owner, i)} for i, item in enumerate(items)]


def stream(blocks: list[dict], site: DemoSite, owner: str) -> str:
    """Raw StreamField JSON for the blocks of ``content.py``, references resolved."""
    raw = []
    for index, block in enumerate(blocks):
        kind, ident = block["type"], _block_id(owner, index)
        if kind == "heading":
            value = {"text": block["text"], "level": block["level"], "anchor": block["anchor"]}
        elif kind == "paragraph":
            value = rich(*block["paragraphs"], site=site)
        elif kind == "symptom_list":
            value = {
                "title": block["title"],
                "intro": rich(block["intro"], site=site),
                "items": _list(block["items"], f"{owner}/{index}"),
                "style": block["style"],
            }
        elif kind == "approach_summary":
            value = {
                "approach": site.approaches[block["approach"]].pk,
                "summary_override": rich(block["summary"], site=site),
            }
        elif kind == "call_to_action":
            value = {
                "heading": block["heading"],
                "text": rich(block["text"], site=site),
                "button_label": block["button"],
                "page": site.page_id(block["page"]) if block["page"] else None,
                "url": block["url"],
            }
        elif kind == "related_article":
            value = {"lead_in": block["lead_in"], "article": site.page_id(block["article"])}
        elif kind == "quote":
            value = {"text": block["text"], "attribution": block["attribution"]}
        elif kind == "image":
            value = {
                "image": site.images[block["image"]].pk,
                "alt_text": block["alt"],
                "caption": block["caption"],
            }
        elif kind == "faq":
            items = [{"question": q, "answer": rich(a, site=site)} for q, a in block["items"]]
            value = {"title": block["title"], "items": _list(items, f"{owner}/{index}")}
        else:
            raise DemoContentError(f"Unknown demo block type {kind!r} in {owner}.")
        raw.append({"type": kind, "value": value, "id": ident})
    return json.dumps(raw)


def _validate_body(page: Page) -> None:
    """Run the editor's block validation, so the demo never holds content an editor couldn't save."""
    page.body.stream_block.clean(page.body)


# ----------------------------------------------------------------------------- pages


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _child(parent: Page, slug: str) -> Page | None:
    child = parent.get_children().filter(slug=slug).first()
    return child.specific if child else None


def _days_ago(days: int) -> datetime:
    moment = timezone.localtime() - timedelta(days=days)
    return moment.replace(hour=_PUBLISH_HOUR, minute=0, second=0, microsecond=0)


def _set_dates(page: Page, *, published: datetime, updated: datetime) -> None:
    """Backdate a freshly published page so lists, feeds and sitemaps have a realistic order."""
    Page.objects.filter(pk=page.pk).update(
        first_published_at=published, last_published_at=updated, latest_revision_created_at=updated
    )
    if page.latest_revision_id:
        type(page.latest_revision).objects.filter(pk=page.latest_revision_id).update(created_at=updated)


def _default_site_root(home: HomePage) -> None:
    """Point the default Site at the home page; requests for any host name fall back to it."""
    parts = urlsplit(settings.PUBLIC_BASE_URL)
    hostname = parts.hostname or "localhost"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name=content.PRACTICE["practice_name"],
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])


def ensure_home(site: DemoSite) -> HomePage:
    """The HomePage at the tree's top, replacing Wagtail's default 'Welcome' page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        for child in root.get_children():
            if child.specific_class is Page and child.slug == "home":
                if child.numchild:
                    raise DemoContentError(
                        "Wagtail's default 'Welcome' page has child pages; move or delete them first."
                    )
                child.delete()  # its Site goes too; re-created below
        data = content.HOME
        home = HomePage(
            title=data["title"],
            slug="home",
            intro=data["intro"],
            seo_title=data["seo_title"],
            search_description=data["search_description"],
            hero_image=site.images[data["hero"]],
        )
        root.add_child(instance=home)
        _publish(home)
        site.created["pages"] += 1
        site.home_body_pending = True
    _default_site_root(home)
    site.pages["home"] = home
    return home


def fill_home_body(site: DemoSite) -> None:
    """The home page's body links to other pages, so it is written once they exist."""
    if not site.home_body_pending:
        return
    home = site.pages["home"]
    home.body = stream(content.HOME["body"], site, "home")
    _validate_body(home)
    _publish(home)


def ensure_blog_index(site: DemoSite) -> BlogIndexPage:
    home = site.pages["home"]
    blog = BlogIndexPage.objects.first()
    if blog is None:
        blog = BlogIndexPage(
            title=content.BLOG["title"],
            slug="blog",
            intro=rich(content.BLOG["intro"], site=site),
            search_description=content.BLOG["search_description"],
        )
        home.add_child(instance=blog)
        _publish(blog)
        site.created["pages"] += 1
    site.pages["blog"] = blog
    return blog


def ensure_standard_page(site: DemoSite, data: dict) -> Page:
    """A StandardPage under home, created from ``data`` if no page has its slug yet."""
    home = site.pages["home"]
    page = _child(home, data["slug"])
    if page is None:
        page = StandardPage(title=data["title"], slug=data["slug"], intro=data["intro"])
        page.body = stream(data["body"], site, data["slug"])
        _validate_body(page)
        home.add_child(instance=page)
        _publish(page)
        site.created["pages"] += 1
    site.pages[data["key"]] = page
    return page


def ensure_consultation_page(site: DemoSite) -> Page:
    """The page the consultation buttons open (/consultation/): the readers app's
    ConsultationPage, with its form. Whatever page already lives at /consultation/, of any
    type, is used as it is.
    """
    from readers.models import ConsultationPage  # the readers app owns the form page

    home, data = site.pages["home"], content.CONSULTATION
    page = _child(home, data["slug"])
    if page is None:
        page = ConsultationPage(
            title=data["title"],
            slug=data["slug"],
            intro=f"{data['intro']}\n\nTell us a little about how to reach you. A member of our team "
            "will get back to you within one business day to arrange a short call.",
        )
        home.add_child(instance=page)
        _publish(page)
        site.created["pages"] += 1
    site.pages[data["key"]] = page
    return page


# ----------------------------------------------------------------------------- library


def ensure_images(site: DemoSite) -> None:
    Image = get_image_model()
    for key, spec in content.IMAGES.items():
        image = Image.objects.filter(title=spec["title"]).first()
        if image is None:
            site.new_images.add(key)
            data = images.hero(key, spec["words"], spec["colors"])
            w, h = images.HERO_SIZE
            image = Image(
                title=spec["title"],
                description=spec["alt"],
                file=ContentFile(data, name=f"demo-{key}.jpg"),
                # The middle of the picture holds its words: keep it in every crop.
                focal_point_x=w // 2,
                focal_point_y=h // 2,
                focal_point_width=w // 2,
                focal_point_height=h // 3,
            )
            image.save()
            site.created["images"] += 1
        site.images[key] = image


def ensure_locations(site: DemoSite) -> None:
    for order, data in enumerate(content.LOCATIONS, start=1):
        _, created = Location.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "kind": data["kind"],
                "description": data["description"],
                "sort_order": order,
            },
        )
        site.created["locations"] += created


def ensure_topics(site: DemoSite) -> None:
    for name, description in content.TOPICS:
        if not Topic.objects.filter(name__iexact=name).exists():
            Topic.objects.create(name=name, slug=slugify(name), description=description)
            site.created["topics"] += 1


def ensure_authors(site: DemoSite) -> None:
    Image = get_image_model()
    for data in content.AUTHORS:
        author = Author.objects.filter(slug=data["slug"]).first()
        if author is None:
            title = f"Portrait of {data['name']}"
            photo = Image.objects.filter(title=title).first()
            if photo is None:
                photo = Image(
                    title=title,
                    description=f"Placeholder portrait: the initials of {data['name']} on a soft circle.",
                    file=ContentFile(
                        images.portrait(data["name"], data["color"]), name=f"demo-{data['slug']}.jpg"
                    ),
                )
                photo.save()
                site.created["images"] += 1
            author = Author.objects.create(
                name=data["name"],
                slug=data["slug"],
                credentials=data["credentials"],
                role=data["role"],
                license_number=data["license_number"],
                bio=rich(data["bio"], site=site),
                photo=photo,
            )
            site.created["authors"] += 1
        site.authors[data["slug"]] = author


def ensure_approaches(site: DemoSite) -> None:
    for data in content.APPROACHES:
        approach = TherapeuticApproach.objects.filter(name=data["name"]).first()
        if approach is None:
            link = data["link"]
            external = link.startswith("http")
            approach = TherapeuticApproach.objects.create(
                name=data["name"],
                abbreviation=data["abbreviation"],
                summary=rich(data["summary"], site=site),
                evidence_note=data["evidence_note"],
                link_page=site.pages[link] if link and not external else None,
                link_url=link if external else "",
            )
            site.created["approaches"] += 1
        site.approaches[data["abbreviation"]] = approach


def ensure_practice_settings(site: DemoSite) -> None:
    """Fill the practice settings once; a practice that set its own details keeps them."""
    practice = PracticeSettings.load()
    if practice.phone or practice.email or len(practice.navigation):
        return
    data = content.PRACTICE
    for name in (
        "practice_name",
        "tagline",
        "phone",
        "email",
        "street_address",
        "city",
        "region",
        "postal_code",
        "cta_heading",
        "cta_button_label",
    ):
        setattr(practice, name, data[name])
    practice.cta_text = rich(data["cta_text"], site=site)
    practice.cta_page = site.pages["consultation"]
    practice.navigation = json.dumps(
        [
            {"type": "link", "value": {"page": site.page_id(key), "title": ""}, "id": _block_id("nav", key)}
            for key in data["navigation"]
        ]
    )
    practice.social_links = json.dumps(
        [
            {"type": "profile", "value": {"network": network, "url": url}, "id": _block_id("social", network)}
            for network, url in data["social_links"]
        ]
    )
    practice.save()
    site.created["settings"] += 1


def demo_clinician_password() -> str:
    """The demo clinicians' shared password: DEMO_CLINICIAN_PASSWORD, or generated once and
    kept in var/ (git-ignored) beside the admin's, so it stays the same on one machine."""
    password = os.environ.get("DEMO_CLINICIAN_PASSWORD")
    if password:
        return password
    secret_file = settings.VAR_DIR / "demo-clinician-password.txt"
    if secret_file.exists():
        return secret_file.read_text().strip()
    password = secrets.token_urlsafe(12)
    secret_file.write_text(password + "\n")
    secret_file.chmod(0o600)
    return password


def ensure_clinical_review(site: DemoSite) -> None:
    """The clinical review workflow on the blog, and a login for each demo clinician (an
    author with credentials) in the Clinicians group, linked to their author profile. An
    account or profile that exists is left as it is."""
    review.ensure_clinical_review(site.pages["blog"])
    clinicians = Group.objects.get(name=CLINICIANS_GROUP)
    User = get_user_model()
    for data in content.AUTHORS:
        author = site.authors[data["slug"]]
        if not data["credentials"] or author.user_id or User.objects.filter(username=data["slug"]).exists():
            continue
        user = User.objects.create_user(
            username=data["slug"],
            email=f"{data['slug']}@localhost",
            password=demo_clinician_password(),
            first_name=data["name"].split()[0],
            last_name=data["name"].split()[-1],
        )
        user.groups.add(clinicians)
        author.user = user
        author.save(update_fields=["user"])
        site.created["clinician accounts"] += 1


def ensure_default_social_image(site: DemoSite) -> None:
    """Give the practice its default sharing image when this run drew that image: a demo
    database made before the setting existed gets it once, and an editor who later clears
    or changes it keeps their choice."""
    key = content.DEFAULT_SOCIAL_IMAGE
    practice = PracticeSettings.load()
    if key not in site.new_images or practice.default_social_image_id:
        return
    practice.default_social_image = site.images[key]
    practice.default_social_image_alt = content.IMAGES[key]["alt"]
    practice.save(update_fields=["default_social_image", "default_social_image_alt"])


# ----------------------------------------------------------------------------- articles


def ensure_articles(site: DemoSite) -> None:
    """Articles point at each other, so missing ones are first created as drafts (to get ids),
    then written in full, linked and published with backdated publication dates."""
    blog = site.pages["blog"]
    new = []
    for data in content.ARTICLES:
        article = _child(blog, data["slug"])
        if article is None:
            article = ArticlePage(
                title=data["title"],
                slug=data["slug"],
                excerpt=data["excerpt"],
                body=json.dumps([{"type": "paragraph", "value": "<p>Draft</p>", "id": _block_id("draft")}]),
                live=False,
            )
            blog.add_child(instance=article)
            new.append((article, data))
        site.pages[data["slug"]] = article

    today = timezone.localdate()
    for article, data in new:
        article.seo_title = data.get("seo_title", "")
        article.search_description = data["excerpt"]
        article.hero_image = site.images[data["hero"]]
        article.author = site.authors[data["author"]]
        article.reviewer = site.authors[data["reviewer"]]
        article.last_reviewed = today - timedelta(days=data["reviewed_days_ago"])
        article.body = stream(data["body"], site, data["slug"])
        _validate_body(article)
        article.topics.set(data["topics"])
        article.related_picks = [
            ArticleRelatedPick(article=site.pages[slug], sort_order=position)
            for position, slug in enumerate(data["related_picks"])
        ]
        article.full_clean()
        _publish(article)
        updated_days_ago = min(data["published_days_ago"], data["reviewed_days_ago"])
        _set_dates(
            article,
            published=_days_ago(data["published_days_ago"]),
            updated=_days_ago(updated_days_ago),
        )
        site.created["articles"] += 1


# ----------------------------------------------------------------------------- entry point


def build() -> DemoSite:
    """Create whatever part of the demo site is missing; return what exists and what was made."""
    site = DemoSite()
    with transaction.atomic():
        ensure_images(site)
        ensure_home(site)
        ensure_blog_index(site)
        ensure_consultation_page(site)
        for data in content.PAGES:
            ensure_standard_page(site, data)
        fill_home_body(site)
        ensure_locations(site)
        ensure_topics(site)
        ensure_authors(site)
        ensure_approaches(site)
        ensure_practice_settings(site)
        ensure_default_social_image(site)
        ensure_articles(site)
        ensure_clinical_review(site)
    return site
