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
    """How many live, public articles there are (one row): the unfiltered list's total."""

    live_articles = models.PositiveIntegerField(default=0)
    valid_until = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = "live article count"

    def __str__(self) -> str:
        return str(self.live_articles)
