"""Search through Wagtail's search backend as configured: PostgreSQL full text in production
(Wagtail's database backend on PostgreSQL), SQLite's FTS5 for the embedded default."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connections
from django.db.models import F, Func, QuerySet

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
    database), or an empty queryset for a query without words. On PostgreSQL the results
    come with their total counted by ``postgres_search_total`` (``SearchResultsWithTotal``).

    A search backend accepts only plain filters on indexed fields: start ``queryset`` from
    ``ArticlePage.objects.searchable()`` (``blog.visibility``), not ``visible()``.
    """
    words = search_words(query)
    if not words:
        return queryset.none()
    results = queryset.search(" ".join(words), operator="and", order_by_relevance=False)
    if connections[queryset.db].vendor == "postgresql":
        return SearchResultsWithTotal(results, postgres_search_total(queryset, words))
    return results


class SearchResultsWithTotal:
    """Search results (sliced and iterated as Wagtail's ``SearchResults``) whose ``count()``
    is ``total.count()``: what a paginator needs."""

    def __init__(self, results, total: QuerySet[ArticlePage]):
        self.results = results
        self.total = total

    def count(self) -> int:
        return self.total.count()

    def __getitem__(self, key):
        return self.results[key]

    def __iter__(self):
        return iter(self.results)


class SearchQueryUnseenByPlanner(SearchQuery):
    """A ``SearchQuery`` computed in a scalar subquery: PostgreSQL evaluates it once per
    query (an InitPlan) and cannot read its value while planning, so it estimates the
    matches with its default selectivity instead of the words' statistics."""

    template = "(SELECT %(function)s(%(expressions)s))"


def postgres_tsquery(words: list[str]) -> str:
    """The text PostgreSQL's search backend gives ``to_tsquery`` for an "and" search of
    ``words``: the last word first, then each other word in order, one pair of parentheses
    per ``&`` (the backend's own grouping, so the query is the same, not just equivalent).
    ``words`` come from ``search_words``: letters and digits, nothing to escape."""
    text = f"'{words[-1]}'"
    for word in words[:-1]:
        text = f"({text} & '{word}')"
    return text


def postgres_search_total(queryset: QuerySet[ArticlePage], words: list[str]) -> QuerySet[ArticlePage]:
    """The articles of ``queryset`` that PostgreSQL's search backend finds for ``words``: its
    own filter, ``(title || body) @@ to_tsquery(...)`` on each article's index entry, with the
    same joins, expression and query, so the count is the backend's count.

    Only the plan differs. The backend's literal query lets the planner see that a common
    word matches nearly every entry, and it then reads every entry, decompressing and
    concatenating its title and body vectors to test it (linear in the articles, and most of
    the time of a search for such a word). Here the query is computed in a scalar subquery,
    which the planner cannot read while planning: it assumes few matches (0.5 %) and takes
    them from the GIN index on ``(title || body)`` (migration blog 0013). For a query of plain
    words the index's answer is exact, so no vector is read (unless the bitmap of matches
    outgrows ``work_mem``, when the rows of its lossy pages are tested as before). A count
    needs every match whatever the word, so the index is the better plan for every word.
    Decision 0002 has the plans.
    """
    config = settings.WAGTAILSEARCH_BACKENDS.get("default", {}).get("SEARCH_CONFIG")
    title_and_body = Func(
        F("index_entries__title"),
        F("index_entries__body"),
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=SearchVectorField(),
    )
    query = SearchQueryUnseenByPlanner(postgres_tsquery(words), search_type="raw", config=config)
    return queryset.alias(search_document=title_and_body).filter(search_document=query)
