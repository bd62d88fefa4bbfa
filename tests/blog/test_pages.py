"""Page types: where each may live, how many may exist, and the rules an article enforces."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from blog.models import ArticlePage, ArticleRelatedPick, BlogIndexPage, HomePage, StandardPage
from blog.models.pages import MAX_RELATED_PICKS, WORDS_PER_MINUTE
from tests.conftest import body_json


class TestPageTree(WagtailPageTestCase):
    """The tree is home → blog index → articles, with standard pages beside the blog."""

    def test_articles_can_only_be_created_under_the_blog_index(self):
        self.assertCanCreateAt(BlogIndexPage, ArticlePage)
        self.assertAllowedParentPageTypes(ArticlePage, {BlogIndexPage})
        for parent in (Page, HomePage, StandardPage, ArticlePage):
            self.assertCanNotCreateAt(parent, ArticlePage)

    def test_the_blog_index_holds_articles_and_nothing_else(self):
        self.assertAllowedSubpageTypes(BlogIndexPage, {ArticlePage})

    def test_the_blog_index_lives_directly_under_home(self):
        self.assertAllowedParentPageTypes(BlogIndexPage, {HomePage})
        self.assertCanNotCreateAt(StandardPage, BlogIndexPage)
        self.assertCanNotCreateAt(BlogIndexPage, BlogIndexPage)

    def test_the_home_page_sits_at_the_top_of_the_tree(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_standard_pages_live_under_home_or_another_standard_page(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_nothing_can_be_created_under_an_article(self):
        self.assertAllowedSubpageTypes(ArticlePage, set())


def test_only_one_home_page_can_exist(home):
    root = Page.get_first_root_node()
    assert HomePage.max_count == 1
    assert not HomePage.can_create_at(root)


def test_only_one_blog_index_can_exist(home):
    assert BlogIndexPage.can_create_at(home)
    home.add_child(instance=BlogIndexPage(title="Blog", slug="blog"))
    assert not BlogIndexPage.can_create_at(home)


# --------------------------------------------------------------------------- reading time


def words(count, word="calm"):
    return " ".join([word] * count)


@pytest.mark.parametrize(
    ("word_count", "minutes"),
    [(1, 1), (WORDS_PER_MINUTE, 1), (WORDS_PER_MINUTE + 1, 2), (3 * WORDS_PER_MINUTE, 3)],
)
def test_reading_time_is_whole_minutes_at_220_words_a_minute(make_article, word_count, minutes):
    # A five-word heading plus a paragraph: every block's words count, markup does not.
    body = body_json(
        ("heading", {"text": "Why we shut down emotionally", "level": "2", "anchor": "why"}),
        ("paragraph", f"<p><b>{words(word_count - 5)}</b></p>" if word_count > 5 else "<p></p>"),
    )
    if word_count <= 5:
        body = body_json(("paragraph", f"<p>{words(word_count)}</p>"))
    article = make_article("Reading time", body=body)
    assert article.word_count() == word_count
    assert article.reading_time_minutes == minutes


def test_reading_time_ignores_layout_choices_and_counts_list_items(make_article):
    body = body_json(
        ("heading", {"text": "Signs", "level": "3", "anchor": "signs"}),
        (
            "symptom_list",
            {
                "title": "You might notice",
                "intro": "",
                "items": ["Feeling flat", "Poor sleep"],
                "style": "checklist",
            },
        ),
        ("quote", {"text": "Rest is part of the work", "attribution": ""}),
    )
    article = make_article("Layout words", body=body)
    assert " ".join(article.body_text().split()) == (
        "Signs You might notice Feeling flat Poor sleep Rest is part of the work"
    )
    assert article.word_count() == 14


def test_reading_time_follows_the_body_when_it_is_edited(make_article):
    article = make_article("Growing", body=body_json(("paragraph", f"<p>{words(100)}</p>")))
    assert article.reading_time_minutes == 1
    article.body = body_json(("paragraph", f"<p>{words(5 * WORDS_PER_MINUTE)}</p>"))
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.reading_time_minutes == 5


# --------------------------------------------------------------------------- related picks


def test_an_article_takes_at_most_four_related_picks(make_article):
    others = [make_article(f"Other {i}") for i in range(MAX_RELATED_PICKS + 1)]
    article = make_article("Main")
    article.related_picks = [ArticleRelatedPick(article=o, sort_order=i) for i, o in enumerate(others)]
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert caught.value.message_dict["title"] == ["Pick at most 4 related articles."]


def test_four_related_picks_are_kept_in_the_editors_order(make_article):
    others = [make_article(f"Other {i}") for i in range(MAX_RELATED_PICKS)]
    article = make_article("Main", related=list(reversed(others)))
    article.full_clean()
    assert [p.article.title for p in article.related_picks.all()] == [
        "Other 3",
        "Other 2",
        "Other 1",
        "Other 0",
    ]


def test_an_article_cannot_be_its_own_related_pick(make_article):
    article = make_article("Main")
    article.related_picks = [ArticleRelatedPick(article=article, sort_order=0)]
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert caught.value.message_dict["title"] == ["An article cannot be related to itself."]


def test_the_same_article_cannot_be_picked_twice(make_article):
    other = make_article("Other")
    article = make_article("Main")
    article.related_picks = [ArticleRelatedPick(article=other, sort_order=i) for i in range(2)]
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert caught.value.message_dict["title"] == ["Each related article can be picked only once."]


# --------------------------------------------------------------------------- clinical review


def test_a_review_date_needs_a_clinical_reviewer(make_article):
    article = make_article("Reviewed")
    article.last_reviewed = date(2026, 10, 1)
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert caught.value.message_dict["reviewer"] == [
        "Choose the clinical reviewer for the review date you entered."
    ]
    with pytest.raises(ValidationError):
        article.save()  # Wagtail pages validate on save, so code cannot skip the rule either


def test_a_reviewer_with_a_review_date_is_valid(make_article, reviewer):
    article = make_article("Reviewed", reviewer=reviewer, last_reviewed=date(2026, 10, 1))
    article.full_clean()
    assert (article.reviewer, article.last_reviewed) == (reviewer, date(2026, 10, 1))


def test_the_excerpt_is_required_and_bounded(make_article):
    article = make_article("Excerpted")
    article.excerpt = ""
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert caught.value.message_dict["excerpt"] == ["This field cannot be blank."]
    article.excerpt = "x" * 301
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert caught.value.message_dict["excerpt"] == [
        "Ensure this value has at most 300 characters (it has 301)."
    ]


# --------------------------------------------------------------------------- search


@pytest.fixture
def searchable(make_article):
    body = json.dumps(
        [
            {"type": "paragraph", "value": "<p>Notes on the <b>vagus</b> nerve and quiet evenings.</p>"},
            {
                "type": "symptom_list",
                "value": {
                    "title": "Signs",
                    "intro": "",
                    "items": ["Persistent brainfog"],
                    "style": "bullets",
                },
            },
        ]
    )
    found = make_article(
        "Stress and the body", excerpt="Why tension settles in the shoulders.", topics=["Somatics"], body=body
    )
    make_article("Unrelated", excerpt="Something else entirely.", topics=["Grief"])
    return found


@pytest.mark.parametrize("query", ["vagus", "brainfog", "shoulders", "Somatics", "Stress body"])
def test_search_covers_title_excerpt_body_and_topics(searchable, query):
    results = list(ArticlePage.objects.live().search(query))
    assert [r.pk for r in results] == [searchable.pk]


def test_search_does_not_match_layout_choices(searchable):
    assert list(ArticlePage.objects.live().search("Bullets")) == []
