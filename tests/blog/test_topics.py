"""Topics are taggit tags with slugs, stored through ArticleTopic (a TaggedItemBase)."""

from taggit.models import TaggedItemBase

from blog.models import ArticlePage, ArticleTopic, Topic


def test_topics_are_stored_through_the_article_topic_model(make_article):
    article = make_article("Chronic stress", topics=["Stress and burnout", "Anxiety"])
    assert issubclass(ArticleTopic, TaggedItemBase)
    rows = ArticleTopic.objects.filter(content_object=article).order_by("tag__name")
    assert [(row.tag.name, row.tag.slug) for row in rows] == [
        ("Anxiety", "anxiety"),
        ("Stress and burnout", "stress-and-burnout"),
    ]


def test_a_topic_gets_a_slug_and_a_public_path(db):
    topic = Topic.objects.create(name="Grief & Loss")
    assert topic.slug == "grief-loss"
    assert topic.path == "/blog/topics/grief-loss/"


def test_topic_names_are_reused_whatever_their_case(make_article):
    first = make_article("First", topics=["Anxiety"])
    second = make_article("Second", topics=["anxiety", "ANXIETY"])
    assert Topic.objects.filter(name__iexact="anxiety").count() == 1
    topic = Topic.objects.get()
    assert topic.name == "Anxiety"  # the first spelling wins
    assert set(ArticleTopic.objects.filter(tag=topic).values_list("content_object_id", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_articles_can_be_found_by_topic_slug(make_article):
    tagged = make_article("Trauma basics", topics=["Trauma"])
    make_article("Something else", topics=["Resilience"])
    assert list(ArticlePage.objects.filter(tagged_topics__tag__slug="trauma")) == [tagged]


def test_a_topic_description_is_optional(db):
    topic = Topic.objects.create(name="Resilience")
    topic.full_clean()
    assert topic.description == ""


def test_removing_a_topic_from_an_article_keeps_the_topic(make_article):
    article = make_article("Stress", topics=["Stress and burnout"])
    article.topics.clear()
    article.save_revision().publish()
    assert ArticleTopic.objects.filter(content_object=article).count() == 0
    assert Topic.objects.filter(slug="stress-and-burnout").exists()
