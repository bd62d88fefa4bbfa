"""Reads shared by the API, the rendered pages, feeds and the sitemap.

Visibility rules live here once: "live and public" means published, not expired, not
scheduled for the future, and not under a view restriction (on itself or an ancestor).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Length, Substr
from django.db.models.lookups import In
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site

from blog import search_index
from blog.models import (
    ArticlePage,
    ArticleRelatedPick,
    ArticleTopic,
    Author,
    BlogIndexPage,
    LiveArticleCount,
    Location,
    TherapeuticApproach,
    Topic,
    TopicCount,
)
from blog.prepared import ListParam, PreparedQuery
from blog.representations import RENDITION_SPECS, SHARE_SPEC_SUFFIX, rich_text_page_ids, site_root_paths


def not_view_restricted(path_ref: str = "path") -> Q:
    """True for pages with no view restriction on themselves or an ancestor.

    Wagtail's ``PageQuerySet.public()`` runs a query for every restriction each time a queryset
    is built; this is the same rule as one correlated subquery (a restriction on page P covers
    every page whose tree path starts with P's path), so it costs no extra round trip. It is
    guarded by an uncorrelated "no restriction exists at all", which the database evaluates
    once per query: on a site without restrictions (most of the time) the per-row subquery
    never runs (a quarter of a count over 10,000 articles on SQLite).
    """
    covering = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef(path_ref), 1, Length("page__path"))
    )
    return Q(~Exists(PageViewRestriction.objects.all())) | Q(~Exists(covering))


def visible(prefix: str = "", *, now: Any = None) -> Q:
    """The "live and public right now" rule as a filter on a related page (``prefix``, e.g.
    ``"content_object__"``), for queries that start from another table. ``now`` defaults to
    the current time; prepared queries pass their placeholder (``blog.prepared``)."""
    if now is None:
        now = timezone.now()
    return (
        Q(**{f"{prefix}live": True})
        & (Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": now}))
        & (Q(**{f"{prefix}go_live_at__isnull": True}) | Q(**{f"{prefix}go_live_at__lte": now}))
        & not_view_restricted(f"{prefix}path")
    )


def live_articles(*, now: Any = None) -> QuerySet[ArticlePage]:
    """Articles a member of the public may see right now (or at ``now``, see ``visible``)."""
    # One filter() for the whole rule: each chained call clones the query, and this starts
    # most of the API's queries.
    return ArticlePage.objects.filter(visible(now=now))


def prefetched_renditions() -> Q:
    """The renditions loaded with an image: its srcset (``RENDITION_SPECS``) and, when made,
    its sharing rendition (``representations.share_rendition_spec``), so neither a listing
    nor a page's head asks for a rendition per image."""
    return Q(filter_spec__in=RENDITION_SPECS) | Q(
        filter_spec__startswith="fill-", filter_spec__endswith=SHARE_SPEC_SUFFIX
    )


def image_queryset():
    renditions = get_image_model().get_rendition_model().objects.filter(prefetched_renditions())
    # What Wagtail's ``prefetch_renditions`` leaves, for a filter it cannot express.
    return get_image_model().objects.prefetch_related(
        Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions")
    )


def article_summaries(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Everything an ArticleSummary needs, in a fixed number of queries; body not loaded."""
    return (
        queryset.defer("body")
        .select_related("author")
        .prefetch_related(
            "topics",
            Prefetch("hero_image", queryset=image_queryset()),
            Prefetch("author__photo", queryset=image_queryset()),
        )
    )


def newest_articles(queryset: QuerySet[ArticlePage] | None = None) -> QuerySet[ArticlePage]:
    qs = queryset if queryset is not None else live_articles()
    return qs.order_by("-first_published_at", "-pk")


def topics_with_live_counts() -> list[Topic]:
    """Topics that have at least one live article, by name, each with ``article_count``."""
    topics = list(Topic.objects.select_related("live_stats").order_by("name"))
    attach_live_counts(topics)
    return [t for t in topics if t.article_count > 0]


def live_articles_for_topic(topic: Topic) -> QuerySet[ArticlePage]:
    return live_articles().filter(pk__in=ArticleTopic.objects.filter(tag=topic).values("content_object_id"))


def newest_topic_hero_image(topic: Topic):
    """The hero image of the topic's newest live article that has one, or None (one query):
    what the topic's page is shared with when it has no sharing image of its own."""
    newest = newest_articles(live_articles_for_topic(topic).filter(hero_image__isnull=False))
    return get_image_model().objects.filter(pk=Subquery(newest.values("hero_image_id")[:1])).first()


def live_articles_by_author(author: Author) -> QuerySet[ArticlePage]:
    return live_articles().filter(Q(author=author) | Q(reviewer=author))


def _in_memory(instance, relation: str) -> bool:
    """True when ``instance`` carries its own copy of a child relation (a draft revision's
    page object, a preview): then its in-memory values count, not the database's."""
    return relation in getattr(instance, "_cluster_related_objects", {})


def related_articles_queryset(article: ArticlePage, *, limit: int = 4) -> QuerySet[ArticlePage]:
    """Live articles related to ``article``, best first, in ONE query (slice it to ``limit``).

    Editor's picks first (in their order), then articles sharing the most topics, newest first
    among equals. Never the article itself, never anything that is not live and public. For a
    draft (preview) the draft's own picks and topics are used. The rendered page's ranking;
    the API's ``api_related_and_inline`` ranks the same way in three smaller queries.

    Only candidates are ranked: the picks and the ``limit`` best other articles by shared
    topics (a grouped count over the article's topics' rows, in a subquery).
    Ranking every live article with per-row subqueries was most of a cold detail's SQL time,
    growing with the number of articles.
    """
    if _in_memory(article, "related_picks") or not article.pk:
        pick_ids: Any = [p.article_id for p in article.related_picks.all() if p.article_id is not None]
        is_pick = Q(pk__in=pick_ids)
        pick_order = Case(
            *[When(pk=pk, then=Value(i)) for i, pk in enumerate(pick_ids)],
            default=Value(None),
            output_field=IntegerField(),  # a draft without picks has no When to infer it from
        )
    else:
        pick_ids = ArticleRelatedPick.objects.filter(page_id=article.pk).values("article_id")
        picks = ArticleRelatedPick.objects.filter(page_id=article.pk, article_id=OuterRef("pk"))
        is_pick = Exists(picks)
        pick_order = Subquery(picks.order_by("sort_order", "pk").values("sort_order")[:1])
    if _in_memory(article, "tagged_topics") or not article.pk:
        topic_ids: Any = [t.pk for t in article.topics.all()]
    else:
        topic_ids = ArticleTopic.objects.filter(content_object_id=article.pk).values("tag_id")
    best_sharing = (
        ArticleTopic.objects.filter(visible("content_object__"), tag_id__in=topic_ids)
        .exclude(content_object_id=article.pk or 0)
        .exclude(content_object_id__in=pick_ids)
        .values("content_object_id")
        .annotate(n=Count("pk"), published=Max("content_object__first_published_at"))
        .order_by("-n", F("published").desc(nulls_last=True), "-content_object_id")
        .values("content_object_id")[:limit]
    )
    shared = (
        ArticleTopic.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=topic_ids)
        .order_by()
        .values("content_object_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        live_articles()
        .exclude(pk=article.pk)
        .filter(Q(pk__in=pick_ids) | Q(pk__in=best_sharing))
        .annotate(
            is_pick=ExpressionWrapper(is_pick, output_field=BooleanField()),
            pick_order=pick_order,
            shared_topics=Coalesce(Subquery(shared), Value(0)),
        )
        .order_by(
            F("is_pick").desc(),
            F("pick_order").asc(nulls_last=True),
            "-shared_topics",
            F("first_published_at").desc(nulls_last=True),
            "-pk",
        )
    )


def api_related_and_inline(
    article: ArticlePage, inline_ids: set[int], *, limit: int = 4
) -> tuple[list[ArticlePage], list[ArticlePage]]:
    """(related, inline): the ``limit`` best related articles and the live ones among
    ``inline_ids`` (a body's inline pointers), as ``api_article_rows`` without images (the
    detail loads them with its own).

    Related: editor's picks first (in their order), then articles sharing the most topics,
    newest first among equals. Never the article itself, never anything that is not live and
    public. For a draft (preview) the draft's own picks and topics are used.

    Three small queries (the picks, the best articles sharing topics, then every row at once)
    rather than one that ranks with correlated subqueries: building and compiling that one
    cost the detail more than running all three.
    """
    inline_ids = {pk for pk in inline_ids if pk and pk != article.pk}
    if _in_memory(article, "related_picks") or not article.pk:
        pick_ids = [p.article_id for p in article.related_picks.all() if p.article_id is not None]
    else:
        pick_ids = _PICK_IDS.all(page=article.pk)
    pick_ids = [pk for pk in dict.fromkeys(pick_ids) if pk != article.pk]
    now = timezone.now()
    excluded = [article.pk or 0, *pick_ids]
    if _in_memory(article, "tagged_topics") or not article.pk:
        topic_ids = [t.pk for t in article.topics.all()]
        sharing = (
            _sharing_topics(limit, listed=True).all(now=now, topics=topic_ids, excluded=excluded)
            if topic_ids
            else []
        )
    else:
        sharing = _sharing_topics(limit, listed=False).all(now=now, article=article.pk, excluded=excluded)
    wanted = [*pick_ids, *sharing, *inline_ids]
    rows = {a.pk: a for a in _API_ROWS.all(now=now, ids=wanted)} if wanted else {}
    related = [rows[pk] for pk in dict.fromkeys([*pick_ids, *sharing]) if pk in rows][:limit]
    return related, [rows[pk] for pk in sorted(inline_ids) if pk in rows]


# The detail's queries run on every request: prepared (``blog.prepared``).
_PICK_IDS = PreparedQuery(
    lambda p: (
        ArticleRelatedPick.objects.filter(page_id=p.page)
        .order_by("sort_order", "pk")
        .values_list("article_id", flat=True)
    ),
    page=IntegerField(),
)
_API_ROWS = PreparedQuery(
    lambda p: api_article_rows(live_articles(now=p.now).filter(pk__in=p.ids), join_images=False),
    now=DateTimeField(),
    ids=ListParam(IntegerField()),
)


@functools.cache
def _sharing_topics(limit: int, *, listed: bool) -> PreparedQuery:
    """Ids of the ``limit`` live articles sharing most topics with an article (``article``:
    its stored topics) or with a list of topics (``topics``: a draft's), minus ``excluded``."""

    def build(p):
        if listed:
            topics = p.topics
        else:
            topics = ArticleTopic.objects.filter(content_object_id=p.article).values("tag_id")
        return (
            ArticleTopic.objects.filter(visible("content_object__", now=p.now), tag_id__in=topics)
            .exclude(content_object_id__in=p.excluded)
            .values("content_object_id")
            .annotate(n=Count("pk"), published=Max("content_object__first_published_at"))
            .order_by("-n", F("published").desc(nulls_last=True), "-content_object_id")
            .values_list("content_object_id", flat=True)[:limit]
        )

    topics = {"topics": ListParam(IntegerField())} if listed else {"article": IntegerField()}
    return PreparedQuery(build, now=DateTimeField(), excluded=ListParam(IntegerField()), **topics)


def related_articles(article: ArticlePage, *, limit: int = 4) -> list[ArticlePage]:
    """``related_articles_queryset`` with everything an ArticleSummary needs prefetched."""
    return list(article_summaries(related_articles_queryset(article, limit=limit))[:limit])


# --- Rendered site: listings, feeds and the sitemap (added by the site engineer) -------------
# A page whose editor ticked "Hide from search engines" stays reachable by its URL but is left
# out of everything a crawler or reader browses: the sitemap, feeds and HTML listings.


def live_public_pages() -> QuerySet[Page]:
    """Every page (any type) a member of the public may see right now, as specific pages."""
    now = timezone.now()
    return (
        Page.objects.live()
        .public()
        .filter(depth__gt=1)
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        .defer_streamfields()
        .specific()
        .order_by("path")
    )


def listed_articles() -> QuerySet[ArticlePage]:
    """Live, public articles that may appear in listings, feeds and the sitemap."""
    return live_articles().filter(noindex=False)


def blog_index_page() -> BlogIndexPage | None:
    """The live blog index (for breadcrumbs and feed links), or None."""
    return BlogIndexPage.objects.live().only("title", "url_path", "depth", "path").first()


def listed_articles_for_topic(topic: Topic) -> QuerySet[ArticlePage]:
    return listed_articles().filter(pk__in=ArticleTopic.objects.filter(tag=topic).values("content_object_id"))


def listed_articles_by_author(author: Author) -> QuerySet[ArticlePage]:
    """Articles the person wrote or clinically reviewed."""
    return listed_articles().filter(Q(author=author) | Q(reviewer=author))


def topics_with_listed_articles() -> QuerySet[Topic]:
    """Topics with at least one listed article, with ``last_published_at`` (for lastmod)."""
    listed = listed_articles()
    return (
        Topic.objects.filter(tagged_articles__content_object__in=listed.values("pk"))
        .annotate(last_published_at=Max("tagged_articles__content_object__last_published_at"))
        .order_by("slug")
    )


def topics_last_published(topic_ids: list[int]) -> dict[int, Any]:
    """{topic id: when its newest live article was last published} for ``topic_ids`` (one
    query; none for no ids). Topics without a live article are absent."""
    if not topic_ids:
        return {}
    rows = (
        ArticleTopic.objects.filter(visible("content_object__"), tag_id__in=topic_ids)
        .order_by()
        .values("tag_id")
        .annotate(last=Max("content_object__last_published_at"))
        .values_list("tag_id", "last")
    )
    return dict(rows)


def authors_last_published(author_ids: list[int]) -> dict[int, Any]:
    """{author id: when the newest live article they wrote or reviewed was last published}
    for ``author_ids`` (one query; none for no ids). Authors without one are absent."""
    if not author_ids:
        return {}
    dates: dict[int, Any] = {}
    rows = (
        live_articles()
        .filter(Q(author_id__in=author_ids) | Q(reviewer_id__in=author_ids))
        .values_list("author_id", "reviewer_id", "last_published_at")
    )
    for author_id, reviewer_id, published in rows:
        for person in {author_id, reviewer_id} & set(author_ids):
            if published is not None and (dates.get(person) is None or published > dates[person]):
                dates[person] = published
    return dates


def authors_with_listed_articles() -> QuerySet[Author]:
    """Authors who wrote or reviewed at least one listed article, with ``last_published_at``."""
    listed = listed_articles()
    written = listed.filter(author=OuterRef("pk")).order_by("-last_published_at")
    reviewed = listed.filter(reviewer=OuterRef("pk")).order_by("-last_published_at")
    return (
        Author.objects.annotate(
            last_written=Subquery(written.values("last_published_at")[:1]),
            last_reviewed_at=Subquery(reviewed.values("last_published_at")[:1]),
        )
        .filter(Q(last_written__isnull=False) | Q(last_reviewed_at__isnull=False))
        .order_by("slug")
    )


# --- Content API (api engineer): batch loading so query counts stay constant --------------------
# The API renders lists and bodies from objects loaded here in a fixed number of queries; the
# representations in ``blog.representations`` then only read attributes and ``context`` dicts.


def live_topic_count(tag_ref: str = "tag_id") -> Subquery:
    """Number of live articles tagged with the tag at ``OuterRef(tag_ref)`` (NULL for none),
    counted over every article–topic row: the fallback of ``topic_live_count``."""
    live_ids = live_articles().values("pk")
    return Subquery(
        ArticleTopic.objects.filter(tag_id=OuterRef(tag_ref), content_object_id__in=live_ids)
        .order_by()
        .values("tag_id")
        .annotate(n=Count("content_object_id", distinct=True))
        .values("n")[:1]
    )


def _still_valid(count: int, valid_until, now) -> int | None:
    """A stored count (``blog.topic_counts``), or None once an expiry or go-live date it
    depends on has passed."""
    return count if valid_until is None or valid_until > now else None


def _count_exactly(topics: list[Topic]) -> None:
    """``article_count`` for topics without a valid stored count, in one query."""
    if not topics:
        return
    exact = dict(
        Topic.objects.filter(pk__in={t.pk for t in topics})
        .annotate(n=live_topic_count("pk"))
        .values_list("pk", "n")
    )
    for topic in topics:
        topic.article_count = exact.get(topic.pk) or 0


def stored_live_count(topic: Topic, now) -> int | None:
    """The topic's ``TopicCount`` when loaded and still valid at ``now``; None when it is
    missing or stale."""
    try:
        stats = topic.live_stats
    except TopicCount.DoesNotExist:
        return None
    return _still_valid(stats.live_articles, stats.valid_until, now)


def attach_live_counts(topics: Iterable[Topic]) -> None:
    """Set ``article_count`` on topics loaded with ``select_related("live_stats")``: the stored
    count, or for the few whose count is missing or stale, the exact count in one query.

    Counting live articles per topic in every read was a pass over every article–topic row
    (most of a topic list at 10,000 articles) and compiling that subquery a third of a cold
    article list's time, whatever the size.
    """
    now = timezone.now()
    stale = []
    for topic in topics:
        topic.article_count = stored_live_count(topic, now)
        if topic.article_count is None:
            stale.append(topic)
    _count_exactly(stale)


def api_article_rows(
    queryset: QuerySet[ArticlePage] | None = None, *, join_images: bool = True
) -> QuerySet[ArticlePage]:
    """Article rows for ArticleSummary: body deferred, author (and with ``join_images`` the
    hero image and author photo) joined. Finish with ``prepare_article_summaries`` once the
    rows are fetched (a page of results). The detail loads images with its body's instead:
    each joined table costs more to compile than its rows cost to fetch."""
    qs = queryset if queryset is not None else live_articles()
    if join_images:
        return qs.defer("body").select_related("author", "hero_image", "author__photo")
    return qs.defer("body").select_related("author")


def api_articles(
    *,
    topics: list[str] | None = None,
    author: str | None = None,
    search: str | None = None,
    ordering: str = "-published_at",
) -> QuerySet[ArticlePage]:
    """Live articles filtered as the API's list parameters ask (see ``api.filters``)."""
    qs = live_articles()
    if topics:
        qs = qs.filter(pk__in=ArticleTopic.objects.filter(tag__slug__in=topics).values("content_object_id"))
    if author:
        qs = qs.filter(author__slug=author)
    if search:
        qs = qs.filter(search_filter(search))
    order = {
        "-published_at": ("-first_published_at", "-pk"),
        "published_at": ("first_published_at", "pk"),
        "title": ("title", "pk"),
        "-title": ("-title", "-pk"),
    }[ordering]
    return api_article_rows(qs).order_by(*order)


def list_total(
    *, topics: list[str] | None = None, author: str | None = None, search: str | None = None, **_
) -> int | None:
    """How many articles ``api_articles`` with these filters returns, when it can be answered
    without counting the list's own query (whose ``COUNT(*)`` grew with the number of
    articles): every live article or one topic's from the stored counts (``blog.topic_counts``;
    one query), a search alone from its matches (``search_total``). None otherwise, or when
    the stored count is missing or stale: the caller counts."""
    if author or (topics and (search or len(set(topics)) > 1)):
        return None
    if search:
        return search_total(search)
    if topics:
        rows = TopicCount.objects.filter(topic__slug=topics[0])
    else:
        rows = LiveArticleCount.objects.filter(pk=1)
    row = rows.values_list("live_articles", "valid_until").first()
    return None if row is None else _still_valid(*row, timezone.now())


def search_total(query: str) -> int:
    """``api_articles(search=query).count()``, counted from the matches' side.

    On SQLite, one count of full-text matches among the public articles
    (``blog.search_index``) while its public rows are exactly the visible articles; the
    visible pages among those matches otherwise. Elsewhere, the live pages among the matching
    ids. The list's own query is an ``ArticlePage``, whose count joins every article's row
    (bodies included) before testing it against the matches."""
    now = timezone.now()
    ids = search_article_ids(query)
    if isinstance(ids, PublicMatches):
        exact = search_index.exact_public_count(ids.match, now)
        if exact is not None:
            return exact
    model = getattr(ids, "model", None)
    if model is not None and model._meta.label == "wagtailsearch.IndexEntry":
        ids = ids.values(page_id=Cast("object_id", output_field=IntegerField())).values("page_id")
    elif not isinstance(ids, (QuerySet, RawSQL)) and not ids:
        return 0
    return Page.objects.filter(visible(now=now), pk__in=ids).count()


MAX_SEARCH_WORDS = 12


def search_filter(query: str) -> Q:
    """A filter on articles keeping those matching ``query`` (``search_article_ids``).

    On SQLite the matching public articles' ids come from one full-text query, computed once
    and probed as the list walks articles newest first (stopping at the page's end). With
    another database backend it is a correlated ``EXISTS`` on the article's index entry among
    the matches, for the same reason: ``pk IN (matches)`` first joined and sorted every match
    (0.1 s for a word in most of 10,000 articles).
    """
    ids = search_article_ids(query)
    if isinstance(ids, PublicMatches):
        # Without the hint SQLite drives the list from the matches (it cannot tell how many
        # there are) and sorts them all: 110 ms for a word in all of 10,000 articles, 3 ms
        # walking newest first. A rare word walks every article instead, 5 ms at 10,000.
        return Q(In(_NotIndexed(F("pk"), output_field=IntegerField()), ids))
    model = getattr(ids, "model", None)
    if model is not None and model._meta.label == "wagtailsearch.IndexEntry":
        return Q(Exists(ids.filter(object_id=Cast(OuterRef("pk"), output_field=CharField()))))
    return Q(pk__in=ids)


class _NotIndexed(Func):
    """``+column``: SQLite's (and SQL's) unary plus, which keeps the planner from answering
    a condition on the column with its index, so it follows the ``ORDER BY``'s instead."""

    template = "+%(expressions)s"


def search_words(query: str) -> list[str]:
    """The words of a search, lowercased, at most ``MAX_SEARCH_WORDS``.

    Only words reach the backend: quotes, '*' or an uppercase AND/OR/NEAR are query syntax
    to SQLite's FTS5 and would be an error, not a search. A word is letters and digits, as
    FTS5's tokenizer reads them (an underscore separates), so each is one token, never a
    phrase: the index of public articles cannot answer phrases (``blog.search_index``).
    """
    return [w.lower() for w in re.findall(r"[^\W_]+", query)][:MAX_SEARCH_WORDS]


class PublicMatches(RawSQL):
    """Ids of the public articles matching an FTS5 query (``blog.search_index``), usable as
    ``pk__in=``; ``match`` is the query, for counting them."""

    def __init__(self, match: str):
        self.match = match
        super().__init__(*search_index.public_ids_sql(match))


def search_article_ids(query: str) -> PublicMatches | QuerySet | list[int]:
    """Ids of live articles matching ``query`` in title, excerpt or body (Wagtail's search
    index: the body's text, not its markup), every word required.

    A subquery, so the caller's filter, ordering, page slice and COUNT run in the database:
    collecting every matching id in Python grew with the number of matches (75% of a cold
    search at 10,000 articles). On SQLite (``PublicMatches``) it holds public articles only;
    the caller still applies ``visible()``, which time alone can change. With other database
    backends it is Wagtail's index entries (``object_id``), other backends a list of ids.
    """
    words = search_words(query)
    if not words:
        return []
    # The search backend only understands plain field filters, so search live pages and let
    # the caller intersect with ``live_articles()`` (which adds the restriction subquery).
    results = (
        ArticlePage.objects.live()
        .defer("body")
        .search(" ".join(words), operator="and", order_by_relevance=False)
    )
    fts_query = _sqlite_fts_query(results)
    if fts_query is not None:
        return PublicMatches(search_index.public_match(fts_query))
    as_queryset = getattr(results, "get_queryset", None)
    if as_queryset is not None:
        return as_queryset().order_by().values("pk")
    return [article.pk for article in results]


def _sqlite_fts_query(results) -> str | None:
    """The FTS5 query Wagtail's SQLite backend would run for ``results`` (its ``MATCH``
    argument), built by the backend's own query compiler, so words are parsed and fields
    chosen exactly as it would; None with any other backend."""
    compiler = getattr(results, "query_compiler", None)
    # Checked by name first: on other databases the SQLite module cannot even be imported.
    if type(compiler).__module__ != "modelsearch.backends.database.sqlite.sqlite":
        return None
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry, SQLiteSearchQueryCompiler

    if type(compiler) is not SQLiteSearchQueryCompiler:
        return None
    config = compiler.get_config(results.backend)
    query = compiler.build_search_query(normalize(compiler.query), config=config)
    match = MatchExpression(compiler.fields or compiler.FTS_TABLE_FIELDS, query)
    # Only the query string is kept: the SQL around it names Wagtail's table, not ours.
    sql_compiler = SQLiteFTSIndexEntry.objects.all().query.get_compiler(using="default")
    _, params = match.as_sql(sql_compiler, sql_compiler.connection)
    return params[0]


def images_by_id(ids: Iterable[int | None]) -> dict[int, Any]:
    """Images with every srcset rendition, in two queries however many are asked for."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    return image_queryset().in_bulk(wanted)


def prepare_article_summaries(
    articles: Iterable[ArticlePage],
    *,
    extra_image_ids: Iterable[int | None] = (),
    extra_images: Iterable[Any] = (),
) -> dict[str, Any]:
    """Load topics (with live counts) and images for fetched articles, in two queries (three
    when an image is not yet in memory).

    Sets ``api_topics`` (topics, each with ``article_count``) on every article, attaches hero
    images and author photos (with renditions), and returns a representation ``context`` whose
    ``images`` also holds ``extra_image_ids`` and the loaded ``extra_images`` (body images,
    social images, reviewer photos).
    """
    articles = list(articles)
    from_db = [a for a in articles if a.pk and not _in_memory(a, "tagged_topics")]
    _attach_topics(from_db)
    for article in from_db:
        # Also answer ``article.topics.all()`` (the SEO helper's keywords) from these rows:
        # taggit's manager reads Django's prefetch cache, filled here as prefetch_related would.
        cached = Topic.objects.all()
        cached._result_cache = sorted(article.api_topics, key=lambda t: t.name.lower())
        cached._prefetch_done = True
        if not hasattr(article, "_prefetched_objects_cache"):
            article._prefetched_objects_cache = {}
        article._prefetched_objects_cache["topics"] = cached
    loaded = {id(a) for a in from_db}
    drafts = [a for a in articles if id(a) not in loaded]
    if drafts:
        tag_ids = {t.pk for a in drafts for t in a.topics.all()}
        counted = Topic.objects.select_related("live_stats").in_bulk(tag_ids)
        attach_live_counts(counted.values())
        for article in drafts:
            article.api_topics = [counted[t.pk] for t in article.topics.all() if t.pk in counted]

    people = [a.author for a in articles if a.author_id and a.author is not None]
    # Images already in memory (joined by ``api_article_rows``, loaded by a body's choosers)
    # only need their renditions; the rest are loaded with theirs.
    in_memory = [*(joined(a, "hero_image") for a in articles), *(joined(p, "photo") for p in people)]
    in_memory = [img for img in (*in_memory, *extra_images) if img is not None and img.pk]
    known = {img.pk for img in in_memory}
    wanted = [a.hero_image_id for a in articles] + [p.photo_id for p in people] + list(extra_image_ids)
    images = images_by_id(pk for pk in wanted if pk not in known)
    with_renditions(in_memory)
    for img in in_memory:
        images.setdefault(img.pk, img)
    for article in articles:
        if article.hero_image_id in images:
            article.hero_image = images[article.hero_image_id]
    for person in people:
        if person.photo_id in images:
            person.photo = images[person.photo_id]
    return {"images": images}


def _attach_topics(articles: list[ArticlePage]) -> None:
    """``api_topics`` on each article: its topics with ``article_count``, in one query (two
    when a stored count is missing or stale). Read as plain rows, one Topic per distinct
    topic (its description left deferred): a page of 20 summaries has about 80 article–topic
    rows but a handful of topics, and model instances per row were most of the cost."""
    if not articles:
        return
    rows = _ARTICLE_TOPICS.all(ids=[a.pk for a in articles])
    db = _ARTICLE_TOPICS.using
    now = timezone.now()
    topics: dict[int, Topic] = {}
    by_article: dict[int, list[Topic]] = {a.pk: [] for a in articles}
    stale = []
    for article_id, tag_id, name, slug, count, valid_until, refreshed_at in rows:
        topic = topics.get(tag_id)
        if topic is None:
            topic = topics[tag_id] = Topic.from_db(db, ["id", "name", "slug"], [tag_id, name, slug])
            # No stored row (refreshed_at NULL through the outer join): counted exactly.
            topic.article_count = None if refreshed_at is None else _still_valid(count, valid_until, now)
            if topic.article_count is None:
                stale.append(topic)
        by_article[article_id].append(topic)
    _count_exactly(stale)
    for article in articles:
        article.api_topics = by_article[article.pk]


_ARTICLE_TOPICS = PreparedQuery(
    lambda p: (
        ArticleTopic.objects.filter(content_object_id__in=p.ids)
        .order_by("pk")
        .values_list(
            "content_object_id",
            "tag_id",
            "tag__name",
            "tag__slug",
            "tag__live_stats__live_articles",
            "tag__live_stats__valid_until",
            "tag__live_stats__refreshed_at",
        )
    ),
    ids=ListParam(IntegerField()),
)


def joined(obj, field: str) -> Any:
    """``obj.<field>`` when it is already loaded (``select_related``), else None (no query)."""
    if getattr(obj, f"{field}_id", None) and obj._meta.get_field(field).is_cached(obj):
        return getattr(obj, field)
    return None


def with_renditions(images: list) -> None:
    """Prefetch every srcset rendition of images already in memory, in one query (none when
    all have them), as ``image_queryset()`` does for images it loads."""
    missing = {img.pk: img for img in images if not hasattr(img, "prefetched_renditions")}
    if not missing:
        return
    by_image: dict[int, list] = {pk: [] for pk in missing}
    for rendition in _RENDITIONS.all(ids=list(missing)):
        rendition.image = missing[rendition.image_id]  # as the prefetch sets the reverse side
        by_image[rendition.image_id].append(rendition)
    for img in images:
        if img.pk in missing:
            # What ``Prefetch("renditions", to_attr="prefetched_renditions")`` leaves: Wagtail's
            # ``get_rendition`` looks there first.
            img.prefetched_renditions = by_image[img.pk]


_RENDITIONS = PreparedQuery(
    lambda p: (
        get_image_model().get_rendition_model().objects.filter(prefetched_renditions(), image_id__in=p.ids)
    ),
    ids=ListParam(IntegerField()),
)


def pages_by_id(ids: Iterable[int | None], *, paths: Iterable[str] = ()) -> dict[int, Page]:
    """Pages of any type and state by id or tree path (generic, path fields only), each with
    ``is_public``: live and public right now, as ``live_pages`` decides. One query; none for
    nothing asked."""
    wanted = list({pk for pk in ids if pk})
    paths = list(paths)
    if not wanted and not paths:
        return {}
    values = {"ids": wanted} if wanted else {}
    if paths:
        values["paths"] = paths
    return {page.pk: page for page in _pages_by_id(*values).all(now=timezone.now(), **values)}


@functools.cache
def _pages_by_id(*by: str) -> PreparedQuery:
    """``pages_by_id`` by ``ids``, ``paths`` or both."""

    def build(p):
        public = _public_page(p.now)
        wanted = Q()
        if "ids" in by:
            wanted |= Q(pk__in=p.ids)
        if "paths" in by:
            wanted |= Q(path__in=p.paths)
        return (
            Page.objects.filter(wanted)
            .only("pk", "title", "url_path", "path", "depth", "content_type_id")
            .annotate(is_public=ExpressionWrapper(public, output_field=BooleanField()))
        )

    lists = {"ids": ListParam(IntegerField()), "paths": ListParam(CharField())}
    return PreparedQuery(build, now=DateTimeField(), **{name: lists[name] for name in by})


def body_objects(
    refs,
    *,
    articles: Iterable[ArticlePage] | None = None,
    extra_image_ids: Iterable[int | None] = (),
    page_paths: Iterable[str] = (),
) -> tuple[dict, dict]:
    """Everything a body's choosers and rich text point at (``refs``: the body's
    ``raw_references``): ``({model: {pk: obj}}`` for ``blocks.preloaded_choosers``,
    ``{page id: page if public else None}`` for ``representations.expand_rich_text_batch``).

    One query per kind: approaches with their link pages, images (with ``extra_image_ids``,
    e.g. the page's hero; their renditions are added with the other images' by
    ``prepare_article_summaries``), and every page a button or a
    rich text link points at (``is_public`` annotated; rich text links only to public ones),
    with the pages at ``page_paths`` (the breadcrumbs' ancestors).
    Inline articles are the live ones among the ``ArticlePage`` ids: ``articles`` when the
    caller loaded them already (``api_related_and_inline``), else loaded as summary rows.
    """
    objects: dict = {}
    article_ids = refs.ids_for(ArticlePage)
    if articles is None:
        articles = api_article_rows().filter(pk__in=article_ids) if article_ids else []
    objects[ArticlePage] = {a.pk: a for a in articles if a.pk in article_ids}

    approach_ids = refs.ids_for(TherapeuticApproach)
    approaches = {a.pk: a for a in _APPROACHES.all(ids=list(approach_ids))} if approach_ids else {}
    objects[TherapeuticApproach] = approaches

    image_model = get_image_model()
    image_ids = {pk for pk in (*refs.ids_for(image_model), *extra_image_ids) if pk}
    objects[image_model] = {img.pk: img for img in _IMAGES.all(ids=list(image_ids))} if image_ids else {}

    link_ids = rich_text_page_ids([*refs.rich_text, *(a.summary for a in approaches.values())])
    pages = pages_by_id({*refs.ids_for(Page), *link_ids}, paths=page_paths)
    objects[Page] = pages
    return objects, {pk: (page if page.is_public else None) for pk, page in pages.items()}


_APPROACHES = PreparedQuery(
    lambda p: TherapeuticApproach.objects.select_related("link_page").filter(pk__in=p.ids),
    ids=ListParam(IntegerField()),
)
_IMAGES = PreparedQuery(
    lambda p: get_image_model().objects.filter(pk__in=p.ids),
    ids=ListParam(IntegerField()),
)


def live_pages(*, now: Any = None) -> QuerySet[Page]:
    """Pages of any type a member of the public may see right now (the articles' rule,
    ``visible``; ``now`` as there), the tree's root excluded."""
    return Page.objects.filter(_public_page(now))


def _public_page(now: Any = None) -> Q:
    return visible(now=now) & Q(depth__gt=1)


def live_page_ids(ids: Iterable[int | None]) -> set[int]:
    """Which of ``ids`` are live, public pages (one query; none for no ids)."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return set()
    return set(live_pages().filter(pk__in=wanted).values_list("pk", flat=True))


def live_page_at(url_path: str) -> Page | None:
    """The live, public page at a Wagtail ``url_path`` (``/home/blog/x/``), as its specific type."""
    page = _LIVE_PAGE_AT.first(now=timezone.now(), url_path=url_path)
    if page is None:
        return None
    if page.specific_class is ArticlePage:  # as the detail endpoint loads it (joins, counts)
        return api_article(pk=page.pk)
    return page.specific


# Prepared (``blog.prepared``): every resolve of a page path starts with it.
_LIVE_PAGE_AT = PreparedQuery(
    lambda p: (
        live_pages(now=p.now).filter(url_path=p.url_path).only("pk", "content_type_id").order_by("pk")[:1]
    ),
    now=DateTimeField(),
    url_path=CharField(),
)


def live_article(slug: str) -> ArticlePage | None:
    """The live, public article with ``slug``, author and reviewer joined."""
    return live_articles().select_related("author", "reviewer").filter(slug=slug).order_by("pk").first()


def live_topic(slug: str) -> Topic | None:
    """A topic with at least one live article, with ``article_count``."""
    topic = Topic.objects.select_related("live_stats", "social_image").filter(slug=slug).first()
    if topic is None:
        return None
    attach_live_counts([topic])
    return topic if topic.article_count > 0 else None


def authors_with_live_counts() -> QuerySet[Author]:
    """Every author, by name, with ``article_count`` (live articles written) and
    ``reviewed_count`` (live articles clinically reviewed)."""
    live_ids = live_articles().values("pk")

    def count(field: str) -> Coalesce:
        rows = (
            ArticlePage.objects.filter(pk__in=live_ids, **{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        return Coalesce(Subquery(rows), Value(0))

    return Author.objects.annotate(article_count=count("author"), reviewed_count=count("reviewer")).order_by(
        "name", "pk"
    )


def managed_redirects(site_id: int | None) -> QuerySet:
    """Editor-managed redirects of a site (and those for all sites), target page joined."""
    from wagtail.contrib.redirects.models import Redirect

    return (
        Redirect.objects.filter(Q(site__isnull=True) | Q(site_id=site_id))
        .select_related("redirect_page")
        .order_by("old_path", "pk")
    )


def default_site_root() -> tuple[int | None, str]:
    """(site id, root url_path) of the default site, from Wagtail's cached root paths (once
    per request, ``representations.site_root_paths``); a query only when several sites exist."""
    roots = site_root_paths()
    if not roots:
        return None, "/"
    if len(roots) > 1:
        default_id = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
        for root in roots:
            if root.site_id == default_id:
                return root.site_id, root.root_path
    return roots[0].site_id, roots[0].root_path


def service_locations() -> QuerySet[Location]:
    """The areas the practice serves (in-person cities, telehealth regions), in display order."""
    return Location.objects.order_by("sort_order", "name")


def prefetch_article_body(article: ArticlePage) -> dict[int, ArticlePage]:
    """Load what a rendered article shows beyond its own row, in a fixed number of queries.

    Returns the live targets of its ``related_article`` blocks by id (one query, however many
    blocks point somewhere). Swaps every image it shows (hero, body images, author and reviewer
    photos) for one loaded with its srcset renditions (two queries), and loads the link pages
    of its approach blocks (one query), so rendering the body runs no query per block.
    """
    related_ids: set[int] = set()
    image_blocks = []
    approaches = []
    for child in article.body:
        value = child.value
        if child.block_type == "related_article" and value.get("article") is not None:
            related_ids.add(value["article"].pk)
        elif child.block_type == "image" and value.get("image") is not None:
            image_blocks.append(value)
        elif child.block_type == "approach_summary" and value.get("approach") is not None:
            approaches.append(value["approach"])
    people = [p for p in (article.author, article.reviewer) if p is not None]
    images = images_by_id(
        [article.hero_image_id] + [p.photo_id for p in people] + [value["image"].pk for value in image_blocks]
    )
    if article.hero_image_id in images:
        article.hero_image = images[article.hero_image_id]
    for person in people:
        if person.photo_id in images:
            person.photo = images[person.photo_id]
    for value in image_blocks:
        value["image"] = images.get(value["image"].pk, value["image"])
    if approaches:
        prefetch_related_objects(approaches, "link_page")
    if not related_ids:
        return {}
    return live_articles().defer("body").in_bulk(related_ids)


def _api_article_query(by: str) -> PreparedQuery:
    def build(p):
        from readers.models import Comment  # readers builds on blog: imported where used

        approved = (
            Comment.objects.approved().filter(article_id=OuterRef("pk")).order_by().values("article_id")
        )

        def count(rows: QuerySet) -> Coalesce:
            return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), Value(0))

        orphaned = approved.filter(parent__isnull=False).exclude(parent__status=Comment.Status.APPROVED)
        return (
            live_articles(now=p.now)
            .select_related("author", "reviewer")
            .annotate(approved_comments=count(approved), orphaned_comments=count(orphaned))
            .filter(**{by: p.key})
            .order_by("pk")[:1]
        )

    return PreparedQuery(build, now=DateTimeField(), key=CharField() if by == "slug" else IntegerField())


_API_ARTICLE = {"slug": _api_article_query("slug"), "pk": _api_article_query("pk")}


def api_article(slug: str | None = None, *, pk: int | None = None) -> ArticlePage | None:
    """``live_article`` (by slug or ``pk``) for the API's detail, in one query: author and
    reviewer joined (images come with the body's, ``body_objects``); ``approved_comments`` and
    ``orphaned_comments`` (approved replies under a comment that is not approved) annotated.
    When none is orphaned every approved comment is shown, so the count needs no query of its
    own (see ``readers.selectors.visible_comment_count``, the rule when some are). Prepared
    (``blog.prepared``): the detail runs it on every request."""
    query = _API_ARTICLE["slug" if pk is None else "pk"]
    return query.first(now=timezone.now(), key=slug if pk is None else pk)
