"""Stored counts of live articles, kept up to date by ``blog.topic_counts``.

Not edited by anyone: counting live articles on every request was a pass over every
article (the list's total) or every article–topic row (topic counts), the part of a cold
list that grew with the number of articles. ``valid_until`` is the next moment time alone
changes a count (a counted article expires, a scheduled one goes live); after it, reads
count exactly until the next refresh.
"""

from django.db import models

from blog.models.snippets import Topic


class TopicCount(models.Model):
    """How many live, public articles a topic has."""

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, primary_key=True, related_name="live_stats")
    live_articles = models.PositiveIntegerField(default=0)
    valid_until = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = "topic live count"

    def __str__(self) -> str:
        return f"{self.topic_id}: {self.live_articles}"


class LiveArticleCount(models.Model):
    """How many live, public articles there are (one row): the unfiltered list's total.

    Also when the ``PublicArticle`` rows, refreshed with it, are exactly the visible articles
    (they always include them): from ``public_exact_from`` (the last go-live date of a
    published article scheduled past the refresh) until ``public_exact_until`` (the first
    expiry among them); None is unbounded."""

    live_articles = models.PositiveIntegerField(default=0)
    valid_until = models.DateTimeField(null=True, blank=True)
    public_exact_from = models.DateTimeField(null=True, blank=True)
    public_exact_until = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = "live article count"

    def __str__(self) -> str:
        return str(self.live_articles)


class PublicArticle(models.Model):
    """An article that was live, public and not expired when ``blog.topic_counts`` last
    refreshed: every article visible now is one (time only takes articles away, by expiry, or
    shows a published one whose go-live date passes). On SQLite the search index of public
    articles (``blog.search_index``) follows these rows, so a search total is one count of
    full-text matches instead of a look-up of every match's page."""

    article = models.OneToOneField(
        "blog.ArticlePage", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    class Meta:
        verbose_name = "public article"

    def __str__(self) -> str:
        return str(self.article_id)
