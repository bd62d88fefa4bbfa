"""The content version of the response cache (``api.response_cache``)."""

from django.db import models


class ContentVersion(models.Model):
    """One row whose token changes, in the same transaction, with every change that can alter
    public output. The response cache keeps a copy of the token; entries built under another
    token are never served. Being in the database, a change made while the cache server is
    unreachable is not lost: the copy is checked against this row when it returns."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "content version"

    def __str__(self) -> str:
        return self.token
