"""Search through Wagtail's search backend as configured: PostgreSQL full text in production
(Wagtail's database backend on PostgreSQL), SQLite's FTS5 for the embedded default."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from blog.models import ArticlePage

MAX_SEARCH_WORDS = 12


def search_words(query: str) -> list[str]:
    """The words of a search, lowercased, at most ``MAX_SEARCH_WORDS``.

    Only words reach the backend: quotes, '*' or an uppercase AND/OR/NEAR are query syntax to
    some backends and would be an error, not a search. A word is letters and digits, as the
    backends' tokenizers read them (an underscore separates).
    """
    return [w.lower() for w in re.findall(r"[^\W_]+", query)][:MAX_SEARCH_WORDS]


def search_articles(queryset: QuerySet[ArticlePage], query: str):
    """Articles of ``queryset`` matching every word of ``query`` in title, excerpt, topics or
    body, in the queryset's order: Wagtail's ``SearchResults`` (sliced and counted in the
    database), or an empty queryset for a query without words.

    A search backend accepts only plain filters on indexed fields: start ``queryset`` from
    ``ArticlePage.objects.searchable()`` (``blog.visibility``), not ``visible()``.
    """
    words = search_words(query)
    if not words:
        return queryset.none()
    return queryset.search(" ".join(words), operator="and", order_by_relevance=False)
