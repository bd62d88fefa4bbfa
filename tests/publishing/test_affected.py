"""Which public paths a change makes stale (publishing/affected.py)."""

import pytest

from blog.models import ArticlePage, Location, PracticeSettings, TherapeuticApproach, Topic
from publishing import affected
from tests.conftest import body_json


@pytest.fixture
def network(make_article, reviewer, approach):
    """A target article and every kind of page that shows it, plus pages that do not."""
    target = make_article("Chronic stress", topics=["Stress", "Burnout"], reviewer=reviewer)
    picker = make_article("Sleep and worry", related=[target])
    pointer = make_article(
        "Feeling numb",
        body=body_json(
            ("paragraph", "<p>Numbness protects.</p>"),
            ("related_article", {"lead_in": "Stress goes deeper.", "article": target.pk}),
        ),
    )
    sibling = make_article("Burnout at work", topics=["Burnout"])
    unrelated = make_article("Grief", topics=["Loss"])
    draft = make_article("Draft on stress", topics=["Stress"], live=False)
    uses_approach = make_article(
        "How CBT helps",
        body=body_json(("approach_summary", {"approach": approach.pk, "summary_override": ""})),
    )
    return {
        "target": target,
        "picker": picker,
        "pointer": pointer,
        "sibling": sibling,
        "unrelated": unrelated,
        "draft": draft,
        "uses_approach": uses_approach,
    }


def test_publishing_an_article_affects_every_page_that_shows_it(network):
    target = network["target"]
    snapshot = affected.snapshot_page(target)

    impact = affected.page_change(None, snapshot)

    assert impact.sorted_paths() == [
        "/",
        "/blog/",
        "/blog/authors/daniel-ortiz/",
        "/blog/authors/maya-chen/",
        "/blog/burnout-at-work/",
        "/blog/chronic-stress/",
        "/blog/feed/atom/",
        "/blog/feed/rss/",
        "/blog/feeling-numb/",
        "/blog/sleep-and-worry/",
        "/blog/topics/burnout/",
        "/blog/topics/burnout/feed/atom/",
        "/blog/topics/burnout/feed/rss/",
        "/blog/topics/stress/",
        "/blog/topics/stress/feed/atom/",
        "/blog/topics/stress/feed/rss/",
        "/sitemap.xml",
    ]
    assert not impact.site_wide


def test_unrelated_and_draft_articles_are_not_affected(network):
    impact = affected.page_change(affected.snapshot_page(network["target"]), None)

    assert "/blog/grief/" not in impact.paths
    assert "/blog/draft-on-stress/" not in impact.paths
    assert "/blog/topics/loss/" not in impact.paths


def test_topics_an_article_left_are_affected_as_well_as_the_new_ones(make_article):
    article = make_article("Panic attacks", topics=["Anxiety"])
    before = affected.snapshot_page(article)

    article.topics.set(["Trauma"])
    article.save_revision().publish()
    after = affected.snapshot_page(ArticlePage.objects.get(pk=article.pk))

    impact = affected.page_change(before, after)
    assert {"/blog/topics/anxiety/", "/blog/topics/trauma/"} <= impact.paths


def test_a_draft_page_has_no_public_snapshot(make_article):
    assert affected.snapshot_page(make_article("Not yet", live=False)) is None
    assert affected.page_change(None, None) == affected.Impact()


def test_an_author_change_affects_their_profile_and_articles(network, author):
    impact = affected.author_change(author, old_slug="maya-chen-old")

    assert {
        "/blog/authors/maya-chen/",
        "/blog/authors/maya-chen-old/",
        "/blog/chronic-stress/",
        "/blog/grief/",
        "/blog/",
    } <= impact.paths
    assert "/blog/draft-on-stress/" not in impact.paths


def test_an_approach_change_affects_the_articles_using_it_through_the_reference_index(network, approach):
    impact = affected.approach_change(approach)

    assert impact.sorted_paths() == ["/blog/how-cbt-helps/"]


def test_an_unused_approach_affects_nothing(db):
    lonely = TherapeuticApproach.objects.create(name="Art therapy", summary="<p>Making things.</p>")

    assert affected.approach_change(lonely) == affected.Impact()


def test_a_topic_change_affects_its_page_and_the_pages_listing_its_articles(network):
    topic = Topic.objects.get(slug="loss")

    impact = affected.topic_change(topic)

    assert {"/blog/topics/loss/", "/blog/grief/", "/blog/", "/"} <= impact.paths
    assert "/blog/chronic-stress/" not in impact.paths


def test_settings_affect_every_public_path(network, practice):
    impact = affected.everything()

    assert impact.site_wide
    assert {
        "/",
        "/blog/",
        "/blog/chronic-stress/",
        "/blog/topics/stress/",
        "/blog/authors/maya-chen/",
    } <= impact.paths
    assert "/blog/draft-on-stress/" not in impact.paths
    assert PracticeSettings.objects.count() == 1
    assert Location.objects.count() == 2


def test_a_page_in_the_site_menu_affects_every_path(network, practice, home):
    from blog.models import StandardPage

    fees = home.add_child(instance=StandardPage(title="Fees", slug="fees"))
    practice.navigation = [("link", {"page": fees, "title": "Fees"})]
    practice.save()
    unrelated_page = home.add_child(instance=StandardPage(title="About", slug="about"))

    in_menu = affected.page_change(affected.snapshot_page(fees), None)
    not_in_menu = affected.page_change(affected.snapshot_page(unrelated_page), None)

    assert in_menu.site_wide
    assert {"/fees/", "/blog/chronic-stress/", "/blog/grief/"} <= in_menu.paths
    assert not not_in_menu.site_wide
    assert not_in_menu.sorted_paths() == ["/about/"]


def test_a_topic_without_live_articles_affects_only_its_own_paths(network):
    Topic.objects.create(name="Hope", slug="hope")

    impact = affected.topic_change(Topic.objects.get(slug="hope"))

    assert impact.sorted_paths() == [
        "/blog/topics/hope/",
        "/blog/topics/hope/feed/atom/",
        "/blog/topics/hope/feed/rss/",
    ]
