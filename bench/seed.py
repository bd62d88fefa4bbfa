"""Build the benchmark's content: N live articles under one blog, in bulk.

Creating 10,000 Wagtail pages one ``add_child`` at a time takes many minutes (each one locks
and updates its parent, saves a revision and indexes itself). Here the tree is written
directly: materialised paths, depth and ``numchild`` are computed as treebeard would, the
base ``wagtailcore_page`` rows go in with ``bulk_create``, the article rows with a raw save
(no parents, no signals doing per-page work), and the search index in bulk. Pages are live
without revisions, which the public site and both APIs accept.
"""

from __future__ import annotations

import io
import random
import shutil
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail.search.backends import get_search_backend

from bench import content
from blog.models import (
    ArticlePage,
    ArticleRelatedPick,
    ArticleTopic,
    Author,
    BlogIndexPage,
    HomePage,
    Location,
    PracticeSettings,
    StandardPage,
    TherapeuticApproach,
    Topic,
)
from blog.representations import RENDITION_SPECS

SITE_NAME_PREFIX = "bench-"
HERO_IMAGES = 6
INLINE_IMAGES = 4
BATCH = 500


def seeded_count() -> int | None:
    """N of the bench content already in this database, or None if it holds none."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or not site.site_name.startswith(SITE_NAME_PREFIX):
        return None
    try:
        return int(site.site_name[len(SITE_NAME_PREFIX) :])
    except ValueError:
        return None


def media_present() -> bool:
    """The seeded images' files exist (a database without its media cannot make renditions)."""
    image = get_image_model().objects.order_by("pk").first()
    return image is not None and image.file.storage.exists(image.file.name)


def has_foreign_content() -> bool:
    """True when the database holds pages that this module did not create."""
    return (
        seeded_count() is None
        and Page.objects.filter(depth__gt=1).exclude(title__startswith="Welcome to").exists()
    )


def _picture(width: int, height: int, hue: int, label: str) -> io.BytesIO:
    # A gradient with shapes compresses like a photo far better than a flat colour does.
    img = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    for y in range(height):
        shade = int(255 * y / height)
        draw.line([(0, y), (width, y)], fill=((hue + shade) % 256, (shade * 2) % 256, (255 - shade)))
    for k in range(12):
        x, y = (k * 137) % width, (k * 89) % height
        draw.ellipse([x, y, x + width // 6, y + height // 5], outline=(255, 255, 255), width=4)
    draw.text((20, 20), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=85)
    return buffer


def _image(title: str, width: int, height: int, hue: int):
    image = get_image_model().objects.create(
        title=title,
        description=f"{title}: soft light over a quiet landscape",
        file=ImageFile(_picture(width, height, hue, title), name=f"{slugify(title)}.jpg"),
    )
    image.get_renditions(*RENDITION_SPECS)  # made once here, not by the first timed request
    return image


def _path(parent: Page, position: int) -> str:
    return Page._get_path(parent.path, parent.depth + 1, position)


def build(n: int, *, log: Callable[[str], None] = print, seed: int = 7) -> dict:
    """Empty the database and build the bench content: home, blog, N articles.

    Returns the seconds each step took. Only for a database kept for the benchmark.
    """
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    started = time.monotonic()

    def lap(name: str) -> None:
        timings[name] = round(time.monotonic() - started - sum(timings.values()), 2)
        log(f"  {name}: {timings[name]} s")

    # Emptying tables is instant; deleting a previous run's pages through Wagtail takes minutes.
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()  # flush recreated them, possibly with other ids
    media, bench_dir = Path(settings.MEDIA_ROOT), getattr(settings, "BENCH_DIR", None)
    if bench_dir and media.is_relative_to(bench_dir):  # never someone else's uploads
        for folder in ("original_images", "images"):
            shutil.rmtree(media / folder, ignore_errors=True)
    with transaction.atomic():
        locale = Locale.objects.create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.objects.create(
            title="Root",
            slug="root",
            content_type=ContentType.objects.get_for_model(Page),
            locale=locale,
            path=Page._get_path("", 1, 1),
            depth=1,
            numchild=0,
            url_path="/",
        )
        Collection.add_root(name="Root")
        lap("empty database")

        images = [_image(f"Hero {i + 1}", 1600, 900, 40 * i) for i in range(HERO_IMAGES)]
        inline = [_image(f"Inline {i + 1}", 1200, 800, 25 + 50 * i) for i in range(INLINE_IMAGES)]
        photos = [_image(f"Portrait {i + 1}", 600, 600, 90 + 30 * i) for i in range(len(content.AUTHORS))]
        lap("images and renditions")

        topics = Topic.objects.bulk_create(
            [Topic(name=name, slug=slugify(name.replace("+", "plus"))) for name in content.TOPIC_NAMES]
        )
        topics = list(Topic.objects.order_by("pk"))
        authors = [
            Author.objects.create(name=name, slug=slugify(name), credentials=cred, role=role, photo=photos[i])
            for i, (name, cred, role) in enumerate(content.AUTHORS)
        ]
        home = root.add_child(
            instance=HomePage(title="Heal & Thrive Psychotherapy", slug="home", intro="Therapy in LA.")
        )
        consultation = home.add_child(
            instance=StandardPage(title="Free consultation", slug="consultation", intro="Book a call.")
        )
        blog = home.add_child(instance=BlogIndexPage(title="Blog", slug="blog"))
        approaches = [
            TherapeuticApproach.objects.create(
                name=name,
                abbreviation=abbr,
                summary=f"<p>{content.prose(rng, 2)}</p>",
                link_page=consultation if i % 2 else None,
                link_url="" if i % 2 else "https://www.example.org/approaches/",
            )
            for i, (name, abbr) in enumerate(content.APPROACHES)
        ]
        Site.objects.all().delete()
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=f"{SITE_NAME_PREFIX}{n}",
        )
        practice = PracticeSettings.load()
        practice.practice_name = "Heal & Thrive Psychotherapy"
        practice.tagline = "Therapy for anxiety, trauma and burnout"
        practice.phone = "(310) 555-0142"
        practice.email = "hello@example-practice.test"
        practice.city = "Los Angeles"
        practice.cta_page = consultation
        practice.navigation = [
            ("link", {"page": blog, "title": "Blog"}),
            ("link", {"page": consultation, "title": "Free consultation"}),
        ]
        practice.save()
        Location.objects.get_or_create(slug="los-angeles", defaults={"name": "Los Angeles"})
        Location.objects.get_or_create(
            slug="california", defaults={"name": "California", "kind": "telehealth"}
        )
        lap("library, home, blog")

        # Base page rows first: their ids are what bodies, picks and pointers refer to.
        content_type = ContentType.objects.get_for_model(ArticlePage)
        now = timezone.now()
        articles = []
        rare_every = max(1, n // RARE_COUNT)
        for i in range(n):
            title = content.article_title(rng, i)
            slug = slugify(title)[:200]
            published = now - timedelta(hours=(n - i) * 3)
            articles.append(
                ArticlePage(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    locale=locale,
                    path=_path(blog, i + 1),
                    depth=blog.depth + 1,
                    numchild=0,
                    url_path=f"{blog.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published + timedelta(hours=1),
                    excerpt=content.excerpt(rng) + (f" {RARE_TERM}." if i % rare_every == 0 else ""),
                    hero_image=images[i % len(images)],
                    author=authors[i % len(authors)],
                    reviewer=authors[1] if i % 2 else None,
                    last_reviewed=date(2026, 10, 1) if i % 2 else None,
                    comments_enabled=True,
                )
            )
        page_fields = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
        base_rows = Page.objects.bulk_create(
            [Page(**{name: getattr(a, name) for name in page_fields}) for a in articles],
            batch_size=BATCH,
        )
        for article, row in zip(articles, base_rows, strict=True):
            article.id = article.page_ptr_id = row.pk
        Page.objects.filter(pk=blog.pk).update(numchild=n)
        lap("page rows")

        library = content.Library(
            article_ids=[a.pk for a in articles],
            approach_ids=[a.pk for a in approaches],
            image_ids=[img.pk for img in inline],
            cta_page_id=consultation.pk,
        )
        for i, article in enumerate(articles):
            body, words = content.article_body(rng, i, library)
            article.body = body
            article.reading_time_minutes = max(1, -(-words // 220))
            article.body_word_count = words
            # raw: write this table only (the page row exists); no per-page signal work.
            article.save_base(raw=True, force_insert=True)
        lap("article rows and bodies")

        topic_rows, picks = [], []
        for article in articles:
            for tag in rng.sample(topics, rng.randint(3, 5)):
                topic_rows.append(ArticleTopic(tag=tag, content_object_id=article.pk))
            others = [a.pk for a in rng.sample(articles, min(len(articles), 4)) if a.pk != article.pk]
            for order, other in enumerate(others[: rng.randint(0, 3)]):
                picks.append(ArticleRelatedPick(page_id=article.pk, article_id=other, sort_order=order))
        ArticleTopic.objects.bulk_create(topic_rows, batch_size=BATCH * 4)
        ArticleRelatedPick.objects.bulk_create(picks, batch_size=BATCH * 4)
        lap("topics and related picks")

    backend = get_search_backend()
    queryset = ArticlePage.objects.order_by("pk").prefetch_related("topics")
    for start in range(0, n, BATCH):
        with transaction.atomic():
            backend.add_bulk(ArticlePage, list(queryset[start : start + BATCH]))
    for model in (BlogIndexPage, HomePage, StandardPage, Author, Topic, TherapeuticApproach):
        indexed = list(model.objects.all())
        if indexed and hasattr(model, "search_fields"):
            backend.add_bulk(model, indexed)
    lap("search index")
    timings["total"] = round(time.monotonic() - started, 2)
    return timings


# A word in (nearly) every article, and one in RARE_COUNT of them whatever N is.
SEARCH_TERM = "anxiety"
RARE_TERM = "kestrel"
RARE_COUNT = 5


def sample_article_info() -> dict:
    """The measured article (the middle one: as many newer as older) and the other targets'
    parameters."""
    count = ArticlePage.objects.count()
    article = ArticlePage.objects.order_by("pk")[count // 2]
    topic = Topic.objects.filter(tagged_articles__content_object=article).order_by("name").first()
    return {
        "articles": count,
        "id": article.pk,
        "slug": article.slug,
        "path": article.url,
        "topic": topic.slug if topic else None,
        "search": SEARCH_TERM,
        "rare": RARE_TERM,
    }
