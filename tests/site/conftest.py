"""A whole small site for crawling: every page type, every block type, and one article of
each kind that must never be listed (draft, hidden from search engines, view-restricted,
expired, scheduled for the future)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from blog.models import (
    ArticlePage,
    Author,
    BlogIndexPage,
    HomePage,
    Location,
    PracticeSettings,
    StandardPage,
    TherapeuticApproach,
)
from tests.conftest import article_maker, body_json, clear_cache, make_image

BASE = "https://www.example-practice.test"


@dataclass
class SiteContent:
    home: object
    blog_index: object
    about: object
    fees: object
    article: ArticlePage
    stress: ArticlePage
    fillers: list
    hidden: dict = field(default_factory=dict)
    author: Author | None = None
    reviewer: Author | None = None
    approach: object = None
    body_image: object = None

    @property
    def listed_articles(self) -> list[ArticlePage]:
        return [self.article, self.stress, *self.fillers]


def build_home_and_settings():
    """The tree (root › home › blog), practice settings, locations, people and an approach:
    the same content as the shared fixtures in tests/conftest.py, built without fixtures so a
    module-scoped crawl can use it."""
    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = HomePage(title="Heal & Thrive Psychotherapy", slug="home", intro="Therapy in LA and online.")
    root.add_child(instance=home)
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, site_name="Practice", is_default_site=True
    )
    blog_index = BlogIndexPage(title="Blog", slug="blog")
    home.add_child(instance=blog_index)
    practice = PracticeSettings.load()
    practice.practice_name = "Heal & Thrive Psychotherapy"
    practice.tagline = "Therapy for anxiety, trauma and burnout"
    practice.phone = "(310) 555-0142"
    practice.email = "hello@example-practice.test"
    practice.city = "Los Angeles"
    practice.street_address = "100 Wilshire Blvd"
    practice.postal_code = "90401"
    practice.default_social_image = make_image(
        "Practice sharing picture", width=1400, height=800, description="Library text, not the alt"
    )
    practice.default_social_image_alt = "Heal & Thrive Psychotherapy, written on a calm blue background"
    practice.save()
    Location.objects.create(name="Los Angeles", slug="los-angeles", kind="in_person", sort_order=1)
    Location.objects.create(name="California", slug="california", kind="telehealth", sort_order=2)
    author = Author.objects.create(name="Maya Chen", slug="maya-chen", credentials="LMFT", role="Therapist")
    reviewer = Author.objects.create(
        name="Daniel Ortiz", slug="daniel-ortiz", credentials="PsyD", role="Clinical Director"
    )
    approach = TherapeuticApproach.objects.create(
        name="Cognitive Behavioral Therapy",
        abbreviation="CBT",
        summary="<p>Helps you notice and change unhelpful thought patterns.</p>",
        evidence_note="One of the most studied therapies.",
    )
    return home, blog_index, practice, author, reviewer, approach


def build_site() -> SiteContent:
    """The demo-like site the crawler walks. ``hidden`` holds the articles that must not leak."""
    home, blog_index, practice, author, reviewer, approach = build_home_and_settings()
    make_article = article_maker(blog_index, author)
    home.hero_image = make_image("Home hero", description="A sunlit therapy room with two armchairs")
    home.body = body_json(
        ("heading", {"text": "How we help", "level": "2", "anchor": ""}),
        ("paragraph", "<p>We help adults with anxiety, trauma and burnout.</p>"),
    )
    home.save_revision().publish()
    blog_index.intro = "<p>Plain-language articles from our therapists.</p>"
    blog_index.save_revision().publish()

    about = StandardPage(
        title="About us",
        slug="about",
        intro="Who we are and how we work.",
        body=body_json(
            ("heading", {"text": "Our team", "level": "2", "anchor": ""}),
            ("paragraph", "<p>Licensed therapists in Los Angeles and online.</p>"),
        ),
    )
    home.add_child(instance=about)
    about.save_revision().publish()
    fees = StandardPage(title="Fees", slug="fees", intro="What sessions cost and how insurance works.")
    home.add_child(instance=fees)
    fees.save_revision().publish()

    reviewer.photo = make_image("Daniel Ortiz", width=600, height=600, description="Portrait of Daniel Ortiz")
    reviewer.bio = "<p>Daniel leads clinical review at the practice.</p>"
    reviewer.save()

    stress = make_article(
        "Chronic stress",
        topics=["Stress", "Anxiety"],
        excerpt="How long-term stress changes the body and mind, and what helps.",
        hero_image=make_image("Stress hero", description="Desk covered in sticky notes"),
    )
    fillers = [
        make_article(
            f"Coping skills part {n}",
            slug=f"coping-skills-{n}",
            topics=["Coping"],
            excerpt=f"Practical coping skill number {n} for hard days.",
        )
        for n in range(1, 12)
    ]

    hidden = {
        "draft": make_article("Unpublished draft thoughts", topics=["Anxiety", "Secret topic"], live=False),
        "noindex": make_article("Hidden from search engines", topics=["Anxiety"], noindex=True),
        "restricted": make_article("Members only notes", topics=["Anxiety"]),
        "expired": make_article("An expired announcement", topics=["Anxiety"]),
        "future": make_article("Scheduled for next month", topics=["Anxiety"]),
    }
    PageViewRestriction.objects.create(
        page=hidden["restricted"], restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    now = timezone.now()
    # Saved with its signals, as an editor would.
    hidden["expired"].expire_at = now - timedelta(days=1)
    hidden["expired"].save(update_fields=["expire_at"], clean=False)
    hidden["future"].go_live_at = now + timedelta(days=30)
    hidden["future"].save(update_fields=["go_live_at"], clean=False)

    body_image = make_image("Window light", description="Library description, not the alt text")
    article = make_article(
        "Emotional numbness",
        topics=["Anxiety", "Trauma"],
        excerpt="Why you might feel nothing, and how therapy helps you feel again.",
        hero_image=make_image("Numbness hero", description="A person looking out at the sea"),
        reviewer=reviewer,
        last_reviewed=date(2026, 10, 15),
        related=[stress],
        body=body_json(
            ("heading", {"text": "What it feels like", "level": "2", "anchor": ""}),
            (
                "paragraph",
                f'<p>Numbness is protective. Read about <a linktype="page" id="{stress.pk}">stress</a>.</p>',
            ),
            (
                "symptom_list",
                {
                    "title": "People describe it as",
                    "intro": "<p>In their own words:</p>",
                    "items": ["Going through life on autopilot", "Feeling far from people you love"],
                    "style": "checklist",
                },
            ),
            ("heading", {"text": "Why it happens", "level": "3", "anchor": "why"}),
            ("approach_summary", {"approach": approach.pk, "summary_override": ""}),
            (
                "call_to_action",
                {
                    "heading": "Ready to feel again?",
                    "text": "<p>A free 15-minute consultation is a gentle first step.</p>",
                    "button_label": "Book a free consultation",
                    "page": about.pk,
                    "url": "",
                },
            ),
            ("related_article", {"lead_in": "Stress can wear you down too.", "article": stress.pk}),
            ("related_article", {"lead_in": "Not ready yet.", "article": hidden["draft"].pk}),
            ("quote", {"text": "You're not broken. You're protecting yourself.", "attribution": "A client"}),
            (
                "image",
                {"image": body_image.pk, "alt_text": "A person by a window", "caption": "Morning light"},
            ),
            (
                "faq",
                {
                    "title": "Frequently asked questions",
                    "items": [
                        {"question": "Is numbness a sign of depression?", "answer": "<p>Not always.</p>"},
                        {"question": "Can therapy help?", "answer": "<p>Yes, <b>gently</b>.</p>"},
                    ],
                },
            ),
        ),
    )
    return SiteContent(
        home=home,
        blog_index=blog_index,
        about=about,
        fees=fees,
        article=article,
        stress=stress,
        fillers=fillers,
        hidden=hidden,
        author=author,
        reviewer=reviewer,
        approach=approach,
        body_image=body_image,
    )


@pytest.fixture
def site_content(db) -> SiteContent:
    return build_site()


@pytest.fixture(scope="module")
def module_site(django_db_setup, django_db_blocker):
    """Build the site once for a whole test module, call ``use(client, content)`` to read
    from it, then roll everything back so other tests start from an empty database.

    A module using it must mark its tests ``pytest.mark.django_db``.
    """

    def _run(use):
        with django_db_blocker.unblock(), transaction.atomic():
            # pytest-django only creates the test database when a collected test is marked
            # django_db: refuse to touch any other database.
            name = str(connection.settings_dict["NAME"])
            assert "memory" in name or "test" in name, f"not a test database: {name}"
            # Wagtail caches renditions by image id, which earlier tests' databases reused.
            clear_cache()
            try:
                return use(Client(), build_site())
            finally:
                transaction.set_rollback(True)
                clear_cache()

    return _run
