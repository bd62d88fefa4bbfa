"""RSS and Atom feeds parse as XML, list the newest listed articles first, and link to absolute
URLs on the public site."""

from xml.etree import ElementTree

import pytest

from tests.site.helpers import BASE

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def _xml(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own output)


@pytest.fixture
def two_articles(make_article, practice, reviewer):
    older = make_article("Sleep and worry", topics=["Anxiety"], excerpt="Why worry keeps you up at night.")
    newer = make_article(
        "Burnout & recovery",
        slug="burnout-and-recovery",
        topics=["Burnout"],
        excerpt="Signs of burnout <and> what helps.",
        reviewer=reviewer,
    )
    make_article("Quiet draft", topics=["Anxiety"], live=False)
    make_article("Unlisted note", topics=["Anxiety"], noindex=True)
    return older, newer


def test_the_rss_feed_lists_the_newest_articles_first_with_absolute_links(client, two_articles):
    older, newer = two_articles
    response = client.get("/blog/feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = _xml(response).find("channel")
    assert channel.findtext("title") == "Heal & Thrive Psychotherapy: articles"
    assert channel.findtext("link") == BASE + "/blog/"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Burnout & recovery", "Sleep and worry"]
    first = items[0]
    assert first.findtext("link") == f"{BASE}/blog/{newer.slug}/"
    assert first.findtext("guid") == first.findtext("link")
    assert first.findtext("description") == "Signs of burnout <and> what helps."
    assert [c.text for c in first.findall("category")] == ["Burnout"]
    assert first.findtext("pubDate")
    atom_self = channel.find("a:link", ATOM)
    assert atom_self.get("href") == BASE + "/blog/feed/rss/"


def test_the_atom_feed_lists_the_same_articles_with_absolute_links(client, two_articles):
    older, newer = two_articles
    response = client.get("/blog/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = _xml(response)
    entries = feed.findall("a:entry", ATOM)
    assert [e.findtext("a:title", namespaces=ATOM) for e in entries] == [
        "Burnout & recovery",
        "Sleep and worry",
    ]
    links = [e.find("a:link", ATOM).get("href") for e in entries]
    assert links == [BASE + "/blog/" + newer.slug + "/", BASE + "/blog/sleep-and-worry/"]
    assert entries[1].find("a:author/a:name", ATOM).text == "Maya Chen, LMFT"
    assert entries[1].find("a:updated", ATOM).text
    self_link = [link.get("href") for link in feed.findall("a:link", ATOM) if link.get("rel") == "self"]
    assert self_link == [BASE + "/blog/feed/atom/"]


def test_a_topic_feed_lists_only_that_topics_articles(client, two_articles):
    for path in ("/blog/topics/anxiety/feed/rss/", "/blog/topics/anxiety/feed/atom/"):
        text = client.get(path).content.decode()
        assert "Sleep and worry" in text
        assert "Burnout &amp; recovery" not in text
        assert "Quiet draft" not in text and "Unlisted note" not in text
    channel = _xml(client.get("/blog/topics/anxiety/feed/rss/")).find("channel")
    assert channel.findtext("title") == "Heal & Thrive Psychotherapy: Anxiety"
    assert channel.findtext("link") == BASE + "/blog/topics/anxiety/"


@pytest.mark.django_db
def test_a_feed_for_an_unknown_topic_is_a_404(client):
    assert client.get("/blog/topics/nothing-here/feed/rss/").status_code == 404
