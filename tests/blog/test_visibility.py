"""The one visibility rule (``blog.visibility``): its words, its query forms and the single-page
check agree, for every state an article can be in, at any instant."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from blog import visibility
from blog.models import ArticlePage, ArticleTopic, BlogIndexPage, Topic
from tests.conftest import article_maker

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def states(make_article, home, author):
    """One article per state; scheduled ones go live in 2 days, expiring ones end in 5."""
    section = BlogIndexPage(title="Members", slug="members")
    home.add_child(instance=section)
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    made = {
        "live": make_article("Live"),
        "noindex": make_article("Noindex", noindex=True),
        "draft": make_article("Draft", live=False),
        "restricted": make_article("Restricted"),
        "sectioned": article_maker(section, author)("Sectioned"),
        "scheduled": make_article("Scheduled"),
        "expiring": make_article("Expiring"),
        "expired": make_article("Expired"),
    }
    PageViewRestriction.objects.create(page=made["restricted"], restriction_type="password", password="x")
    ArticlePage.objects.filter(pk=made["scheduled"].pk).update(go_live_at=NOW + timedelta(days=2))
    ArticlePage.objects.filter(pk=made["expiring"].pk).update(expire_at=NOW + timedelta(days=5))
    ArticlePage.objects.filter(pk=made["expired"].pk).update(expire_at=NOW - timedelta(days=1))
    return {name: ArticlePage.objects.get(pk=a.pk) for name, a in made.items()}


def names(states, queryset):
    ids = set(queryset.values_list("pk", flat=True))
    return {name for name, article in states.items() if article.pk in ids}


@pytest.mark.parametrize(
    ("days", "visible"),
    [
        (0, {"live", "noindex", "expiring"}),
        (2, {"live", "noindex", "expiring", "scheduled"}),  # the go-live instant itself
        (3, {"live", "noindex", "expiring", "scheduled"}),
        (5, {"live", "noindex", "scheduled"}),  # the expiry instant itself
        (6, {"live", "noindex", "scheduled"}),
    ],
)
def test_every_form_of_the_rule_agrees_at_every_instant(states, days, visible):
    at = NOW + timedelta(days=days)
    assert names(states, ArticlePage.objects.visible(at)) == visible
    assert names(states, ArticlePage.objects.listed(at)) == visible - {"noindex"}
    assert names(states, ArticlePage.objects.filter(visibility.visible_q(at=at))) == visible
    assert names(states, Page.objects.filter(visibility.visible_q(at=at))) == visible
    assert names(states, ArticlePage.objects.exclude(visibility.visible_q(at=at))) == set(states) - visible
    # "Hidden" in its two halves (what the search total excludes) is exactly the rest.
    by_fields = names(states, ArticlePage.objects.filter(visibility.hidden_by_fields_q(at=at)))
    restricted = names(states, ArticlePage.objects.filter(visibility.restricted_q()))
    assert by_fields | restricted == set(states) - visible
    assert restricted == {"restricted", "sectioned"}
    # The one expression and the rule written as lookups (the glossary's words) select the same.
    as_lookups = visibility.published_q() & visibility.in_schedule_q(at=at) & Q(depth__gt=1)
    assert names(states, ArticlePage.objects.filter(as_lookups)) == visible
    assert names(states, ArticlePage.objects.searchable(at)) == visible
    # Through a join, as the topic counts and the related ranking ask.
    topic = Topic.objects.create(name="Grief", slug="grief")
    ArticleTopic.objects.bulk_create(ArticleTopic(content_object_id=a.pk, tag=topic) for a in states.values())
    tagged = ArticleTopic.objects.filter(visibility.visible_q("content_object__", at))
    tagged = tagged.values("content_object_id")
    assert names(states, ArticlePage.objects.filter(pk__in=tagged)) == visible
    assert {name for name, page in states.items() if visibility.is_visible(page, at)} == visible
    # The same condition in a hand-written query (the related ranking's form).
    condition, params = visibility.visible_sql("p", connection, at)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT p.id FROM {Page._meta.db_table} p WHERE {condition}", params)  # noqa: S608
        ids = {row[0] for row in cursor.fetchall()}
    assert {name for name, article in states.items() if article.pk in ids} == visible


def test_published_ignores_the_schedule_but_not_restrictions_or_drafts(states):
    assert names(states, ArticlePage.objects.published()) == {
        "live",
        "noindex",
        "scheduled",
        "expiring",
        "expired",
    }


def test_a_restriction_on_the_parent_hides_the_child_in_the_single_page_check(states):
    assert not visibility.is_visible(states["sectioned"], NOW)
    PageViewRestriction.objects.filter(page__slug="members").delete()
    assert visibility.is_visible(states["sectioned"], NOW)


def test_the_tree_root_is_never_visible(db):
    root = Page.get_first_root_node()
    assert not visibility.is_visible(root)
    assert not Page.objects.filter(visibility.visible_q(), pk=root.pk).exists()
    assert Page.objects.filter(visibility.hidden_by_fields_q(), pk=root.pk).exists()


def test_next_public_change_is_the_next_go_live_or_expiry_date_of_a_published_page(states):
    assert visibility.next_public_change(NOW) == NOW + timedelta(days=2)
    assert visibility.next_public_change(NOW + timedelta(days=2)) == NOW + timedelta(days=5)
    assert visibility.next_public_change(NOW + timedelta(days=5)) is None


def test_dates_of_drafts_and_restricted_pages_change_nothing_public(states):
    for name in ("draft", "restricted", "sectioned"):
        ArticlePage.objects.filter(pk=states[name].pk).update(go_live_at=NOW + timedelta(hours=1))
    assert visibility.next_public_change(NOW) == NOW + timedelta(days=2)


def test_next_public_change_takes_the_earliest_registered_source(states, monkeypatch):
    monkeypatch.setattr(visibility, "_CHANGE_SOURCES", list(visibility._CHANGE_SOURCES))
    visibility.register_change_source(lambda at: at + timedelta(hours=1))
    assert visibility.next_public_change(NOW) == NOW + timedelta(hours=1)
