"""Search through Wagtail's search backend as configured: PostgreSQL full text in production
(Wagtail's database backend on PostgreSQL), SQLite's FTS5 for the embedded default."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connections
from django.db.models import F, Func, IntegerField, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from blog.models import ArticlePage
from blog.visibility import hidden_by_fields_q, restricted_q

MAX_SEARCH_WORDS = 12


def search_words(query: str) -> list[str]:
    """The words of a search, lowercased, at most ``MAX_SEARCH_WORDS``.

    Only words reach the backend: quotes, '*' or an uppercase AND/OR/NEAR are query syntax to
    some backends and would be an error, not a search. A word is letters and digits, as the
    backends' tokenizers read them (an underscore separates).
    """
    return [w.lower() for w in re.findall(r"[^\W_]+", query)][:MAX_SEARCH_WORDS]


def search_articles(queryset: QuerySet[ArticlePage], query: str, *, narrowing: Q | None = None):
    """Articles of ``queryset`` matching every word of ``query`` in title, excerpt, topics or
    body, in the queryset's order: Wagtail's ``SearchResults`` (sliced and counted in the
    database), or an empty queryset for a query without words. On PostgreSQL the results
    come with their total counted by ``postgres_search_total`` (``SearchResultsWithTotal``).

    ``queryset`` is ``ArticlePage.objects.searchable()`` (``blog.visibility``: a search backend
    accepts only plain filters on indexed fields), shaped as the caller needs (fields, joins,
    order) but not narrowed: what narrows the articles (topics, author) is ``narrowing``, a
    filter by primary key that the results and the total both apply.
    """
    narrowing = narrowing or Q()
    words = search_words(query)
    if not words:
        return queryset.none()
    results = queryset.filter(narrowing).search(" ".join(words), operator="and", order_by_relevance=False)
    if connections[queryset.db].vendor == "postgresql":
        model = queryset.model
        return SearchResultsWithTotal(results, lambda: postgres_search_total(model, words, narrowing))
    return results


class SearchResultsWithTotal:
    """Search results (sliced and iterated as Wagtail's ``SearchResults``) whose ``count()``
    counts ``total()``: what a paginator needs. The total's query is built only when it is
    counted (a short first page needs no count, ``api.pagination``)."""

    def __init__(self, results, total: Callable[[], QuerySet]):
        self.results = results
        self.total = total

    def count(self) -> int:
        return self.total().count()

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


def postgres_search_total(
    model: type[Page], words: list[str], narrowing: Q | None = None
) -> QuerySet[IndexEntry]:
    """The index entries of ``model``'s pages that PostgreSQL's search backend finds for
    ``words``, less those whose page is not visible, narrowed by ``narrowing``: one entry per
    page, so their count is the number of articles found. The match is the backend's own
    filter, ``(title || body) @@ to_tsquery(...)`` with the same expression and query text, on
    the entries of the same content types, so the count is the backend's count.

    Only the plan differs, on purpose (decisions 0002, 0005 and 0006 have the plans and numbers):

    - The query is computed in a scalar subquery, which the planner cannot read while
      planning: it assumes few matches (0.5 %) and takes them from the GIN index on
      ``(title || body)`` (migration blog 0013), exact for plain words, instead of reading
      and concatenating every entry's vectors when it sees that a word is in most entries.
    - Matches are kept unless their page is one of ``model``'s hidden pages (drafts,
      scheduled, expired, restricted: few of all): two ``NOT IN`` that PostgreSQL answers
      from hashes of their keys (the entry's id read as an integer), whatever it assumes
      about the matches. The pages hidden by their fields come from the partial index of
      pages that may be (migration blog 0017), the restricted ones from the restrictions
      (nothing to read where there are none): neither reads the whole page table. Finding
      each match's visible page instead costs one index probe per match.
    - A narrowing (topics, author: a filter by primary key) keeps the matches among its pages.

    Counting by exclusion relies on every entry of these content types having its page:
    an article's entry is removed when the article is deleted (``blog.apps``).
    """
    config = settings.WAGTAILSEARCH_BACKENDS.get("default", {}).get("SEARCH_CONFIG")
    title_and_body = Func(
        F("title"),
        F("body"),
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=SearchVectorField(),
    )
    query = SearchQueryUnseenByPlanner(postgres_tsquery(words), search_type="raw", config=config)
    of_model = Page.objects.type_q(model)
    pages = Page.objects.filter(of_model)
    entries = (
        IndexEntry.objects.alias(search_document=title_and_body, page_id=Cast("object_id", IntegerField()))
        .filter(of_model, search_document=query)
        .exclude(page_id__in=pages.filter(hidden_by_fields_q()).values("pk"))
        .exclude(page_id__in=pages.filter(restricted_q()).values("pk"))
    )
    if narrowing:
        entries = entries.filter(page_id__in=Page.objects.filter(narrowing).values("pk"))
    return entries
