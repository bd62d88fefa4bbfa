"""Who may see a page, and when: the one visibility rule of the site and the API.

Glossary (every surface uses these words in this sense, and only these):

- **live**: Wagtail's flag. Publishing sets it, unpublishing clears it, and
  ``publish_scheduled`` clears it once an expiry date has passed.
- **published**: live, and no view restriction (password, login, groups) on the page or on
  any of its ancestors. Only an edit changes it (publish, unpublish, restriction, move).
- **visible at t**: published, and inside its schedule at ``t``: no go-live date or one at
  or before ``t``, no expiry date or one after ``t``. A member of the public may open it:
  the API's detail and resolve, the rendered page, related lists, inline pointers, rich text
  links, search, counts and the API's lists.
- **listed at t**: visible, and not marked "hide from search engines" (``noindex``). What
  crawlers and readers browse: HTML listings, feeds and the sitemap.
- **hidden at t**: not visible at t. By its own fields (not live, outside its schedule, the
  tree's root) or by a view restriction on it or an ancestor.

Between "published" and "visible" lies time alone: ``next_public_change(at)`` is the next
instant after ``at`` when a visible set changes without any edit (a go-live date or an expiry
date falls due, or anything a registered source says), which bounds how long a cached
response stays right.

Four ways to ask, all the same rule:
- querysets: ``ArticlePage.objects.visible(at)``, ``.listed(at)``, ``.published()`` (any page
  model whose manager is ``PublicPageManager``), and ``.searchable(at)``: the visible set
  written with the plain field filters a search backend accepts;
- ``Q`` builders for queries that start elsewhere (aggregates over topics, joins from other
  tables): ``visible_q(prefix, at)``, ``published_q(prefix)``; ``hidden_by_fields_q(at)``
  and ``restricted_q()``, the two halves of "hidden" for a query that excludes hidden pages;
  and ``visible_sql(alias)``, the same condition for the rare query written by hand;
- one page: ``is_visible(page, at)``;
- ``next_public_change(at)``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, DateTimeField, Expression, F, Min, Q, Value
from django.utils import timezone
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet


class NotRestricted(Expression):
    """True when no view restriction covers the page whose tree path is ``path``.

    A restriction on page P covers every page whose tree path starts with P's path (Wagtail's
    own rule, ``PageQuerySet.public()``): one correlated ``NOT EXISTS``, so it costs no extra
    round trip, after an uncorrelated "no restriction exists at all" the database evaluates
    once per query, so on a site without restrictions the per-row subquery never runs.

    Written as one expression (Django's documented custom-expression API) rather than two
    ``Exists`` querysets: every visible-page query carries it, and building and compiling
    two subquery querysets cost more Python than the rest of such a query's filter.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, path: Any) -> None:
        super().__init__()
        self.path = path

    def get_source_expressions(self) -> list[Any]:
        return [self.path]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.path,) = exprs

    def as_sql(self, compiler, connection) -> tuple[str, list[Any]]:
        path_sql, params = compiler.compile(self.path)
        return _not_restricted_sql(path_sql, connection), params


def _not_restricted_sql(path_sql: str, connection) -> str:
    """``NotRestricted``'s SQL for the tree path column ``path_sql``."""
    quote = connection.ops.quote_name
    restrictions = quote(PageViewRestriction._meta.db_table)
    pages = quote(Page._meta.db_table)
    page_id = quote(PageViewRestriction._meta.get_field("page").column)
    pk, tree_path = quote(Page._meta.pk.column), quote(Page._meta.get_field("path").column)
    # Identifiers from the models' metadata, quoted; the path's values stay parameters.
    return (
        f"(NOT EXISTS (SELECT 1 FROM {restrictions})"  # noqa: S608
        f" OR NOT EXISTS (SELECT 1 FROM {restrictions} vr INNER JOIN {pages} vp"
        f" ON vr.{page_id} = vp.{pk}"
        f" WHERE vp.{tree_path} = SUBSTR({path_sql}, 1, LENGTH(vp.{tree_path}))))"
    )


def not_restricted_q(prefix: str = "") -> Q:
    """No view restriction on the page at ``prefix`` or on one of its ancestors."""
    return Q(NotRestricted(F(f"{prefix}path")))


def published_q(prefix: str = "") -> Q:
    """Live and not under a view restriction (see the glossary)."""
    return Q(**{f"{prefix}live": True}) & not_restricted_q(prefix)


def in_schedule_q(prefix: str = "", at: datetime | None = None) -> Q:
    """Inside its go-live / expiry window at ``at`` (now by default)."""
    at = at or timezone.now()
    return (Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": at})) & (
        Q(**{f"{prefix}go_live_at__isnull": True}) | Q(**{f"{prefix}go_live_at__lte": at})
    )


class Visible(Expression):
    """True when the page whose fields start with ``prefix`` is visible at ``at``: live, inside
    its go-live / expiry window, not the tree's root, and ``NotRestricted``.

    The same rule as ``published_q() & in_schedule_q() & Q(depth__gt=1)``, written as one
    expression (Django's documented ``Expression`` API) because nearly every query of the API
    and the site carries it: a ``Q`` of seven lookups is parsed, joined and compiled lookup by
    lookup, one expression resolves five columns once (decision 0007).
    ``tests/blog/test_visibility.py`` holds both forms to the same rows at every instant.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, prefix: str = "", at: datetime | None = None) -> None:
        super().__init__()
        self.exprs = [
            F(f"{prefix}live"),
            F(f"{prefix}expire_at"),
            F(f"{prefix}go_live_at"),
            F(f"{prefix}depth"),
            Value(at or timezone.now(), output_field=DateTimeField()),
            NotRestricted(F(f"{prefix}path")),
        ]

    def get_source_expressions(self) -> list[Any]:
        return self.exprs

    def set_source_expressions(self, exprs: list[Any]) -> None:
        self.exprs = list(exprs)

    def as_sql(self, compiler, connection) -> tuple[str, list[Any]]:
        return _visible_sql(*(compiler.compile(e) for e in self.exprs))


Piece = tuple[str, list[Any]]


def _visible_sql(
    live: Piece, expire_at: Piece, go_live_at: Piece, depth: Piece, at: Piece, not_restricted: Piece
) -> Piece:
    """``Visible``'s SQL from its compiled columns, instant and restriction check."""
    # Each piece with its own parameters, in the order they appear in the SQL.
    pieces = [
        live, ("AND (", []), expire_at, ("IS NULL OR", []), expire_at, (">", []), at,
        (") AND (", []), go_live_at, ("IS NULL OR", []), go_live_at, ("<=", []), at,
        (") AND", []), depth, ("> 1 AND", []), not_restricted,
    ]  # fmt: skip
    return "(" + " ".join(sql for sql, _ in pieces) + ")", [p for _, params in pieces for p in params]


def visible_sql(alias: str, connection, at: datetime | None = None) -> Piece:
    """The rule as a condition on the page table aliased ``alias`` in a hand-written query
    (``connection.cursor()``), for the few queries the ORM cannot write: the same SQL and
    parameters ``Visible`` compiles to, from the same two functions."""
    quote = connection.ops.quote_name
    page = Page._meta

    def column(name: str) -> Piece:
        return f"{alias}.{quote(page.get_field(name).column)}", []

    moment = DateTimeField().get_db_prep_value(at or timezone.now(), connection)
    path_sql, _ = column("path")
    return _visible_sql(
        column("live"),
        column("expire_at"),
        column("go_live_at"),
        column("depth"),
        ("%s", [moment]),
        (_not_restricted_sql(path_sql, connection), []),
    )


def visible_q(prefix: str = "", at: datetime | None = None) -> Q:
    """The page at ``prefix`` (e.g. ``"content_object__"`` from a topic row) is visible at
    ``at``. Never the tree's root (depth 1), which no one is meant to open."""
    # The instant is fixed here, so it is part of the expression's identity (its arguments).
    return Q(Visible(prefix, at or timezone.now()))


def hidden_by_fields_q(prefix: str = "", at: datetime | None = None) -> Q:
    """Hidden at ``at`` by the page's own fields: not live, not yet gone live, expired, or the
    tree's root. With ``restricted_q``, exactly the pages ``visible_q`` leaves out.

    Kept apart from the restrictions so that a query collecting hidden pages can take these
    from the partial index of pages that may be hidden by their fields (migration blog 0017:
    not live, or with a go-live or expiry date, or the root), which this condition implies,
    instead of reading every page; decision 0009."""
    at = at or timezone.now()
    return (
        Q(**{f"{prefix}live": False})
        | Q(**{f"{prefix}go_live_at__gt": at})
        | Q(**{f"{prefix}expire_at__lte": at})
        | Q(**{f"{prefix}depth__lte": 1})
    )


def restricted_q(prefix: str = "") -> Q:
    """A view restriction covers the page at ``prefix`` (on it or on an ancestor). Where no
    restriction exists at all, the database answers it once per query, without a row."""
    return ~not_restricted_q(prefix)


def listed_q(prefix: str = "", at: datetime | None = None) -> Q:
    """Visible and not hidden from search engines; for page models with a ``noindex`` field."""
    return visible_q(prefix, at) & Q(**{f"{prefix}noindex": False})


class PublicPageQuerySet(PageQuerySet):
    """Wagtail's page queryset with the rule as methods."""

    def published(self) -> PublicPageQuerySet:
        return self.filter(published_q())

    def visible(self, at: datetime | None = None) -> PublicPageQuerySet:
        # One filter() for the whole rule: each chained call clones the query.
        return self.filter(visible_q(at=at))

    def listed(self, at: datetime | None = None) -> PublicPageQuerySet:
        return self.filter(listed_q(at=at))

    def searchable(self, at: datetime | None = None) -> PublicPageQuerySet:
        """``visible`` in the form a search backend accepts: plain filters on indexed fields
        (Wagtail's ``live().public()``, which reads the restrictions in one query first, and
        the schedule; the model indexes ``go_live_at`` and ``expire_at`` as filter fields)."""
        return self.live().public().filter(in_schedule_q(at=at), depth__gt=1)


PublicPageManager = PageManager.from_queryset(PublicPageQuerySet)


def in_schedule(page: Page, at: datetime | None = None) -> bool:
    """Whether one page is inside its go-live / expiry window at ``at`` (now); no query."""
    at = at or timezone.now()
    return not ((page.go_live_at and page.go_live_at > at) or (page.expire_at and page.expire_at <= at))


def is_visible(page: Page, at: datetime | None = None) -> bool:
    """Whether one page (already loaded) is visible at ``at``: its own fields, and one query
    for view restrictions on it or its ancestors (Wagtail's ``get_view_restrictions``)."""
    if page.pk is None or not page.live or page.depth <= 1 or not in_schedule(page, at):
        return False
    return not page.get_view_restrictions().exists()


# --- time alone -----------------------------------------------------------------------------

# Functions ``at -> datetime | None``: the next instant after ``at`` when something they know
# about changes public output without an edit. Other apps add theirs (``register_change_source``).
_CHANGE_SOURCES: list[Callable[[datetime], datetime | None]] = []


def register_change_source(source: Callable[[datetime], datetime | None]) -> Callable:
    """Add a source of ``next_public_change``; usable as a decorator."""
    if source not in _CHANGE_SOURCES:
        _CHANGE_SOURCES.append(source)
    return source


@register_change_source
def next_schedule_date(at: datetime) -> datetime | None:
    """The next go-live or expiry date after ``at`` among published pages, in one query."""
    dates = Page.objects.filter(published_q()).aggregate(
        go_live=Min("go_live_at", filter=Q(go_live_at__gt=at)),
        expiry=Min("expire_at", filter=Q(expire_at__gt=at)),
    )
    moments = [m for m in dates.values() if m is not None]
    return min(moments) if moments else None


def next_public_change(at: datetime | None = None) -> datetime | None:
    """The next instant after ``at`` (now by default) when public output changes by time
    alone; None when nothing is due. A response computed at ``at`` stays right until then,
    unless an edit changes it first."""
    at = at or timezone.now()
    moments = [m for m in (source(at) for source in _CHANGE_SOURCES) if m is not None]
    return min(moments) if moments else None


def max_age(default: int, at: datetime | None = None) -> int:
    """Seconds a response computed at ``at`` (now) may be kept: ``default``, or fewer when
    public output changes by time alone before then (at least 1)."""
    at = at or timezone.now()
    due = next_public_change(at)
    if due is None:
        return default
    return max(1, min(default, int((due - at).total_seconds()) + 1))
