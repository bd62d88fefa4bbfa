"""Words a marketing person understands, the same everywhere in the admin: Topics (never
Tags), "Further reading" picks distinct from the inline "Article pointer" block, correct
plurals, help texts that name menus that exist, and no requests to other hosts (Gravatar)."""

import re

import pytest
from django.urls import reverse
from wagtail import blocks

from blog.blocks import ArticleStreamBlock
from blog.models import ArticlePage, TherapeuticApproach

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_form(admin_client, blog_index):
    return admin_client.get(reverse("wagtailadmin_pages:add", args=["blog", "articlepage", blog_index.pk]))


def test_the_article_form_says_topics_never_tags(add_form):
    html = add_form.content.decode()
    assert '<label for="id_topics" id="id_topics-label"><span data-panel-heading-text>Topics</span>' in html
    assert not re.search(r">\s*Tags\s*<", html)


def test_further_reading_picks_and_the_inline_article_pointer_have_different_names(add_form):
    html = add_form.content.decode()
    assert "Further reading (up to 4 articles, in order, listed at the end)" in html
    assert ArticleStreamBlock().child_blocks["related_article"].label == "Article pointer"
    assert "Related article" not in html


def test_plurals_are_spelled_right(admin_client, approach):
    assert TherapeuticApproach._meta.verbose_name_plural == "therapeutic approaches"
    listing = admin_client.get("/admin/snippets/blog/therapeuticapproach/").content.decode()
    assert "approachs" not in listing.lower()


def help_texts() -> list[str]:
    texts = [str(f.help_text) for f in ArticlePage._meta.get_fields() if getattr(f, "help_text", "")]

    def walk(block):
        field = getattr(block, "field", None)  # field blocks keep their help text on the form field
        for text in (getattr(block.meta, "help_text", None), getattr(field, "help_text", None)):
            if text:
                texts.append(str(text))
        for child in getattr(block, "child_blocks", {}).values():
            walk(child)
        if isinstance(block, blocks.ListBlock):
            walk(block.child_block)

    walk(ArticleStreamBlock())
    return texts


def test_help_texts_point_to_menus_that_exist(admin_client):
    menus = [
        re.findall(r"([A-Z][\w']*(?: [a-z&][\w']*)*) › ([A-Z][\w']*(?: [a-z&][\w']*)*)", text)
        for text in help_texts()
    ]
    menus = {pair for found in menus for pair in found}
    assert ("Content library", "Therapy approaches") in menus
    assert ("Content library", "Topics") in menus
    sidebar = admin_client.get("/admin/").content.decode()
    for group, item in menus:
        assert f'"label": "{group}"' in sidebar, group
        assert f'"label": "{item}"' in sidebar, item


def test_the_admin_asks_no_other_host_for_avatars(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
