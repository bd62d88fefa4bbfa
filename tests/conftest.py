"""Shared fixtures: a small site tree, settings, people, approaches, images and an article
factory. Tests build exactly the content they assert on."""

import io
import itertools
import json
import socket
import uuid
from datetime import date

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from blog.models import (
    ArticlePage,
    ArticleRelatedPick,
    Author,
    BlogIndexPage,
    HomePage,
    Location,
    PracticeSettings,
    TherapeuticApproach,
)

_counter = itertools.count(1)


def make_image(title="Test image", width=1600, height=900, description="A calm lake at dawn"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (90, 140, 170)).save(buffer, format="JPEG")
    return get_image_model().objects.create(
        title=title,
        description=description,
        file=ImageFile(buffer, name=f"test-{next(_counter)}.jpg"),
    )


@pytest.fixture
def image(db):
    return make_image()


@pytest.fixture
def home(db):
    root = Page.get_first_root_node()
    for child in root.get_children():
        if not isinstance(child.specific, HomePage):
            child.delete()
    home = HomePage(title="Heal & Thrive Psychotherapy", slug="home", intro="Therapy in LA and online.")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Practice"},
    )
    return home


@pytest.fixture
def blog_index(home):
    index = BlogIndexPage(title="Blog", slug="blog")
    home.add_child(instance=index)
    return index


@pytest.fixture
def practice(db):
    settings_obj = PracticeSettings.load()
    settings_obj.practice_name = "Heal & Thrive Psychotherapy"
    settings_obj.tagline = "Therapy for anxiety, trauma and burnout"
    settings_obj.phone = "(310) 555-0142"
    settings_obj.email = "hello@example-practice.test"
    settings_obj.city = "Los Angeles"
    settings_obj.street_address = "100 Wilshire Blvd"
    settings_obj.postal_code = "90401"
    settings_obj.save()
    Location.objects.create(name="Los Angeles", slug="los-angeles", kind="in_person", sort_order=1)
    Location.objects.create(name="California", slug="california", kind="telehealth", sort_order=2)
    return settings_obj


@pytest.fixture
def author(db):
    return Author.objects.create(name="Maya Chen", slug="maya-chen", credentials="LMFT", role="Therapist")


@pytest.fixture
def reviewer(db):
    return Author.objects.create(
        name="Daniel Ortiz", slug="daniel-ortiz", credentials="PsyD", role="Clinical Director"
    )


@pytest.fixture
def approach(db):
    return TherapeuticApproach.objects.create(
        name="Cognitive Behavioral Therapy",
        abbreviation="CBT",
        summary="<p>Helps you notice and change unhelpful thought patterns.</p>",
        evidence_note="One of the most studied therapies.",
    )


def body_json(*blocks):
    """A StreamField body from (type, value) pairs, as Wagtail stores it."""
    return json.dumps([{"type": t, "value": v, "id": f"block-{i}"} for i, (t, v) in enumerate(blocks)])


def article_maker(blog_index, author):
    """A function creating articles under ``blog_index``, published unless ``live=False``:
    the ``make_article`` fixture, and the module-scoped site of tests/site (built without
    fixtures)."""

    def _make(title="An article", *, slug=None, topics=(), body=None, live=True, related=(), **fields):
        article = ArticlePage(
            title=title,
            slug=slug or title.lower().replace(" ", "-"),
            excerpt=fields.pop("excerpt", f"About {title.lower()}."),
            author=fields.pop("author", author),
            body=body if body is not None else body_json(("paragraph", "<p>Some words here.</p>")),
            **fields,
        )
        blog_index.add_child(instance=article)
        for name in topics:
            article.topics.add(name)
        for position, other in enumerate(related):
            ArticleRelatedPick.objects.create(page=article, article=other, sort_order=position)
        revision = article.save_revision()
        if live:
            revision.publish()
        else:
            article.unpublish()
        article.refresh_from_db()
        return article

    return _make


@pytest.fixture
def make_article(blog_index, author):
    """Create an article under the blog; published unless ``live=False``."""
    return article_maker(blog_index, author)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Run ``action`` and then what it scheduled for after the commit (cache invalidation,
    webhooks, CDN purges), as in a real request."""

    def _run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return _run


def republish(article, **changes):
    """Publish a new revision of ``article`` with ``changes`` (use inside ``publish``)."""
    page = ArticlePage.objects.get(pk=article.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


def clear_cache() -> None:
    """Empty the default cache of this test run (and Wagtail's rendition cache, keyed by image
    ids that test databases reuse), and only them.

    With ``REDIS_URL`` set (CI's second pass), the test settings give every cache a key
    prefix of its own per run; django-redis' ``delete_pattern`` deletes only keys under it,
    where ``cache.clear()`` would be a FLUSHDB of whatever database ``REDIS_URL`` names."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in ("default", "renditions"):
        if alias not in settings.CACHES:
            continue
        cache = caches[alias]
        if hasattr(cache, "delete_pattern"):
            cache.delete_pattern("*")
        else:
            cache.clear()


@pytest.fixture
def response_cache(settings, monkeypatch):
    """The response caches on (API and HTML), under key prefixes no other test has used."""
    settings.RESPONSE_CACHE_ENABLED = True
    settings.RESPONSE_CACHE_KEY_PREFIX = f"test-rc-{uuid.uuid4().hex}"
    settings.READERS_MIN_FILL_SECONDS = 0
    # An outage another test simulated is not this test's.
    monkeypatch.setattr("api.response_cache._saw_outage", False)
    return settings


@pytest.fixture
def shared_cache(settings, monkeypatch):
    """The response cache on, under a key prefix no other test (or earlier run) has used."""
    settings.RESPONSE_CACHE_ENABLED = True
    settings.RESPONSE_CACHE_KEY_PREFIX = f"test-rc-{uuid.uuid4().hex}"
    monkeypatch.setattr("api.response_cache._saw_outage", False)
    return settings


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def unreachable_cache(settings, alias: str) -> None:
    """Add cache ``alias``: Django's own Redis backend on a port nobody listens on. It raises
    on every call (no IGNORE_EXCEPTIONS): the code under test must cope."""
    settings.CACHES = {
        **settings.CACHES,
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/4",
        },
    }


@pytest.fixture
def today():
    return date(2026, 11, 1)


# --- Personal data never leaves through the API (readers) ------------------------------------


class ApiResponseLog:
    """Every email readers submitted during a test, and every API response body produced."""

    def __init__(self):
        self.emails: set[str] = set()
        self.bodies: list[tuple[str, bytes]] = []

    def leaks(self) -> list[tuple[str, str]]:
        return [
            (path, email)
            for path, body in self.bodies
            for email in self.emails
            if email and email.lower().encode() in body.lower()
        ]


@pytest.fixture(autouse=True)
def api_response_log(monkeypatch):
    """Search every ``/api/`` response body a test produces (test client, DRF's APIClient, or
    bodies a test adds from live servers) for every email submitted in a comment or
    consultation request during that test; any match fails the test."""
    from django.db.models.signals import post_save
    from django.test.client import Client

    from readers.models import Comment, ConsultationRequest

    log = ApiResponseLog()
    original_request = Client.request

    def request(self, **environ):
        response = original_request(self, **environ)
        path = environ.get("PATH_INFO", "")
        if path.startswith("/api/") and not getattr(response, "streaming", False):
            log.bodies.append((path, bytes(response.content)))
        return response

    def remember(sender, instance, **kwargs):
        if instance.email:
            log.emails.add(instance.email)

    monkeypatch.setattr(Client, "request", request)
    for model in (Comment, ConsultationRequest):
        post_save.connect(remember, sender=model, weak=False, dispatch_uid=f"api-log-{model.__name__}")
    yield log
    for model in (Comment, ConsultationRequest):
        post_save.disconnect(sender=model, dispatch_uid=f"api-log-{model.__name__}")
    assert not log.leaks(), f"Personal email found in API responses: {log.leaks()}"
