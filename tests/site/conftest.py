"""A whole small site for crawling: every page type, every block type, and one article of
each kind that must never be listed (draft, hidden from search engines, view-restricted,
expired, scheduled for the future)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from blog.models import ArticlePage, Author, StandardPage
from tests.conftest import body_json, make_image

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


@pytest.fixture
def site_content(home, blog_index, practice, author, reviewer, approach, make_article):
    """The demo-like site the crawler walks. ``hidden`` holds the articles that must not leak."""
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
    ArticlePage.objects.filter(pk=hidden["expired"].pk).update(expire_at=now - timedelta(days=1))
    ArticlePage.objects.filter(pk=hidden["future"].pk).update(go_live_at=now + timedelta(days=30))

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
