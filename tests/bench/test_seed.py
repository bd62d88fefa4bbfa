"""The benchmark's bulk seed builds a valid Wagtail tree with demo-sized, live articles."""

from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from wagtail.models import Page, Site

from bench import content, seed
from blog import selectors
from blog.models import ArticlePage, ArticleRelatedPick, ArticleTopic, BlogIndexPage, Topic

DEMO_MIX = {
    "heading": 19,
    "paragraph": 18,
    "approach_summary": 5,
    "related_article": 3,
    "symptom_list": 2,
    "quote": 1,
    "image": 1,
    "call_to_action": 1,
    "faq": 1,
}


@pytest.fixture
def seeded(db):
    # flush inside the test's transaction: rolled back afterwards, but it recreated content
    # types, so the in-memory cache must not outlive the test.
    try:
        yield seed.build(12, log=lambda message: None)
    finally:
        ContentType.objects.clear_cache()


def test_the_tree_is_consistent_and_every_article_is_live_under_the_blog(seeded):
    assert Page.find_problems() == ([], [], [], [], [])
    blog = BlogIndexPage.objects.get()
    articles = ArticlePage.objects.order_by("path")
    assert articles.count() == 12
    assert blog.numchild == 12
    assert [a.path for a in articles] == [Page._get_path(blog.path, blog.depth + 1, i) for i in range(1, 13)]
    assert all(a.url_path == f"/home/blog/{a.slug}/" for a in articles)
    assert selectors.live_articles().count() == 12
    assert Site.objects.get(is_default_site=True).site_name == "bench-12"
    assert seed.seeded_count() == 12
    assert not seed.has_foreign_content()


def test_each_body_has_the_demo_articles_block_mix(seeded):
    for article in ArticlePage.objects.all():
        assert dict(Counter(block.block_type for block in article.body)) == DEMO_MIX
        assert article.reading_time_minutes >= 5
        headings = [b.value["anchor"] for b in article.body if b.block_type == "heading"]
        assert len(set(headings)) == len(headings)


def test_articles_have_three_to_five_topics_from_the_pool_and_never_pick_themselves(seeded):
    assert Topic.objects.count() == len(content.TOPIC_NAMES) == 30
    per_article = Counter(ArticleTopic.objects.values_list("content_object_id", flat=True))
    assert len(per_article) == 12
    assert all(3 <= count <= 5 for count in per_article.values())
    assert not ArticleRelatedPick.objects.filter(page_id=F("article_id")).exists()
    pointers = [
        b.value["article"].pk
        for a in ArticlePage.objects.all()
        for b in a.body
        if b.block_type == "related_article"
    ]
    assert len(pointers) == 36
    assert set(pointers) <= set(ArticlePage.objects.values_list("pk", flat=True))


def test_articles_are_in_the_search_index(seeded):
    title = ArticlePage.objects.order_by("pk").first().title
    found = list(ArticlePage.objects.live().search(title.split()[0]))
    assert found


def test_the_sample_article_is_the_middle_one(seeded):
    info = seed.sample_article_info()
    article = ArticlePage.objects.order_by("pk")[6]
    assert info == {
        "articles": 12,
        "id": article.pk,
        "slug": article.slug,
        "path": f"/blog/{article.slug}/",
        "topic": Topic.objects.filter(tagged_articles__content_object=article).order_by("name")[0].slug,
        "search": "anxiety",
        "rare": "kestrel",
    }
