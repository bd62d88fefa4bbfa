"""Known content for the API tests: three live articles (one with every block type) and one
article in each state that must never appear: draft, scheduled, expired, view-restricted.

Kept next to the API tests because only they assert on it; the building blocks (home,
blog_index, author, image, make_article…) are the shared fixtures in tests/conftest.py.
"""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from blog.models import ArticlePage, Topic
from tests.conftest import body_json, clear_cache, make_image

LA = ZoneInfo("America/Los_Angeles")


def set_dates(article, published: datetime):
    """Fixed publication dates, so responses can be compared to literal expectations."""
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=published, last_published_at=published
    )
    article.refresh_from_db()
    return article


def every_block_body(*, image, approach, target, cta_page):
    """A body with one block of every type (inline pointer and CTA to ``target``)."""
    return body_json(
        ("heading", {"text": "What it feels like", "level": "2", "anchor": ""}),
        ("paragraph", f'<p>See <a linktype="page" id="{target.pk}">chronic stress</a> too.</p>'),
        (
            "symptom_list",
            {
                "title": "People describe it as",
                "intro": "<p>Often:</p>",
                "items": ["Autopilot", "Flat"],
                "style": "checklist",
            },
        ),
        ("approach_summary", {"approach": approach.pk, "summary_override": ""}),
        (
            "call_to_action",
            {
                "heading": "Ready?",
                "text": "<p>Talk to us.</p>",
                "button_label": "Book",
                "page": cta_page.pk,
                "url": "",
            },
        ),
        ("related_article", {"lead_in": "Stress goes deeper.", "article": target.pk}),
        ("quote", {"text": "You're not broken.", "attribution": "A client"}),
        ("heading", {"text": "Getting help", "level": "3", "anchor": "help"}),
        ("image", {"image": image.pk, "alt_text": "A lake", "caption": "Calm"}),
        ("faq", {"title": "FAQ", "items": [{"question": "Is it permanent?", "answer": "<p>No.</p>"}]}),
    )


@pytest.fixture
def content(make_article, practice, reviewer, approach, image, blog_index, home, author):
    """The known site: see the module docstring. Returns a namespace of everything made."""
    clear_cache()  # Wagtail caches site root paths; each test's database is new
    Topic.objects.create(name="Anxiety", slug="anxiety", description="Worry that will not switch off.")
    Topic.objects.create(name="Stress", slug="stress")
    Topic.objects.create(name="Trauma", slug="trauma")

    burnout = make_article(
        "Burnout at work", topics=["Stress"], excerpt="When work empties you out.", author=reviewer
    )
    stress = make_article("Chronic stress", topics=["Stress", "Anxiety"], excerpt="Stress that stays.")
    numbness = make_article(
        "Emotional numbness",
        topics=["Anxiety", "Trauma"],
        excerpt="Why you might feel nothing.",
        hero_image=image,
        reviewer=reviewer,
        last_reviewed=date(2026, 10, 1),
        body=every_block_body(image=image, approach=approach, target=stress, cta_page=blog_index),
    )
    set_dates(burnout, datetime(2026, 9, 1, 9, 0, tzinfo=LA))
    set_dates(stress, datetime(2026, 10, 1, 9, 0, tzinfo=LA))
    set_dates(numbness, datetime(2026, 11, 1, 9, 0, tzinfo=LA))

    hidden = {}
    hidden["draft"] = make_article("Draft anxiety", topics=["Anxiety", "Trauma"], live=False)
    hidden["scheduled"] = make_article("Scheduled anxiety", topics=["Anxiety", "Trauma"])
    # Saved with its signals, as an editor would.
    hidden["scheduled"].go_live_at = timezone.now() + timedelta(days=3)
    hidden["scheduled"].save(update_fields=["go_live_at"], clean=False)
    hidden["expired"] = make_article("Expired anxiety", topics=["Anxiety", "Trauma"])
    hidden["expired"].expire_at = timezone.now() - timedelta(days=1)
    hidden["expired"].save(update_fields=["expire_at"], clean=False)
    hidden["restricted"] = make_article("Restricted anxiety", topics=["Anxiety", "Trauma"])
    PageViewRestriction.objects.create(
        page=hidden["restricted"], restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return SimpleNamespace(
        burnout=burnout,
        stress=stress,
        numbness=numbness,
        hidden=hidden,
        image=image,
        approach=approach,
        author=author,
        reviewer=reviewer,
        practice=practice,
        home=home,
        blog_index=blog_index,
    )


@pytest.fixture
def extra_image():
    return make_image(title="Second", width=300, height=200, description="Small")
