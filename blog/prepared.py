"""Querysets compiled to SQL once per process, run with new parameter values each time.

Django builds and compiles a queryset's SQL on every evaluation: cloning the query for each
``filter()``, resolving every lookup and join, quoting every column. For the API's article
detail that was about a third of its CPU (eleven small queries, ~1 ms of ORM work each
before the database saw them; see docs/benchmarks.md). Django has no statement cache, so
this module is one, in the spirit of SQLAlchemy's compiled cache: the queryset is still
written with the ORM (one definition, portable between SQLite and PostgreSQL), built once
with named placeholders where its values go, and compiled once per database connection
alias; each call binds the values and runs the stored SQL through Django's own iterables, so
rows come back as the queryset would return them (model instances with ``select_related``
objects and annotations, or ``values_list`` tuples).

What the cache holds is SQL text and column maps, never data: every process compiles the
same text, so nothing depends on one process's memory.

Every value that can change between calls must be a placeholder: anything else the builder
reads (``timezone.now()`` above all) is frozen into the SQL at the first call. Hence the
builder receives only placeholders, and rules such as ``selectors.visible`` take ``now`` as
an argument::

    ARTICLE_BY_SLUG = PreparedQuery(
        lambda p: ArticlePage.objects.filter(visible(now=p.now), slug=p.slug).order_by("pk")[:1],
        now=DateTimeField(), slug=CharField(),
    )
    ARTICLE_BY_SLUG.first(now=timezone.now(), slug="emotional-numbness")

A placeholder declared with ``many=True`` (``ListParam``) takes a non-empty list of values:
``filter(pk__in=p.ids)``. An empty list is refused (``IN ()`` is not SQL): callers skip the
query, as the ORM would.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import Expression, Field, QuerySet

_PLACEHOLDER = re.compile(r"(%%|%s)")


class ListParam:
    """Declares a placeholder that takes a list: ``PreparedQuery(…, ids=ListParam(IntegerField()))``."""

    def __init__(self, field: Field):
        self.field = field


class _Marker:
    """Stands in the compiled query's params where a placeholder's value goes."""

    __slots__ = ("name", "field", "many")

    def __init__(self, name: str, field: Field, many: bool):
        self.name, self.field, self.many = name, field, many


class Param(Expression):
    """A named value bound at each call; compiles to one SQL parameter."""

    def __init__(self, marker: _Marker):
        super().__init__(output_field=marker.field)
        self.marker = marker

    def as_sql(self, compiler, connection):
        return "%s", [self.marker]

    def get_group_by_cols(self):
        return []


class _Placeholders:
    def __init__(self, declared: dict[str, Field | ListParam]):
        for name, kind in declared.items():
            many = isinstance(kind, ListParam)
            setattr(self, name, Param(_Marker(name, kind.field if many else kind, many)))


class _Template:
    """One compiled form of the query: SQL split at its placeholders, and the compiler that
    holds the column maps Django's iterables read."""

    def __init__(self, queryset: QuerySet, alias: str):
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        self.queryset = queryset
        self.compiler = compiler
        self.pieces = _PLACEHOLDER.split(sql)
        self.slots: list[tuple[int, Any]] = []  # (index in pieces, fixed value or marker)
        position = 0
        for index, piece in enumerate(self.pieces):
            if piece == "%s":
                self.slots.append((index, params[position]))
                position += 1
        self.has_lists = any(isinstance(v, _Marker) and v.many for _, v in self.slots)
        self.sql = sql

    def bind(self, connection, values: dict[str, Any]) -> tuple[str, list]:
        params: list = []
        pieces = list(self.pieces) if self.has_lists else None
        for index, value in self.slots:
            if not isinstance(value, _Marker):
                params.append(value)
                continue
            field = value.field
            if value.many:
                items = [field.get_db_prep_value(item, connection) for item in values[value.name]]
                if not items:
                    raise ValueError(f"Prepared query parameter {value.name!r} is an empty list.")
                pieces[index] = ", ".join(["%s"] * len(items))
                params.extend(items)
            else:
                params.append(field.get_db_prep_value(values[value.name], connection))
        return ("".join(pieces) if pieces is not None else self.sql), params


class PreparedQuery:
    """A queryset built once by ``build(placeholders)`` and compiled once per database alias."""

    def __init__(
        self, build: Callable[[Any], QuerySet], *, using: str = "default", **declared: Field | ListParam
    ):
        self.build = build
        self.declared = declared
        self.using = using
        self._templates: dict[str, _Template] = {}

    def _template(self) -> _Template:
        template = self._templates.get(self.using)
        if template is None:
            queryset = self.build(_Placeholders(self.declared))
            template = self._templates[self.using] = _Template(queryset, self.using)
        return template

    def _queryset(self, **values: Any) -> QuerySet:
        """A queryset running the stored SQL with ``values``, for ``all``/``first`` to iterate.
        Private on purpose: a ``filter()`` on it would clone the stored compiler along and be
        silently ignored."""
        missing = self.declared.keys() - values.keys()
        if missing:
            raise TypeError(f"Missing prepared query parameters: {', '.join(sorted(missing))}")
        template = self._template()
        connection = connections[self.using]
        sql, params = template.bind(connection, values)
        compiler = copy.copy(template.compiler)
        compiler.connection = connection  # this thread's connection
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        query = copy.copy(template.queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        source = template.queryset
        queryset = source.__class__(model=source.model, query=query, using=self.using)
        queryset._iterable_class = source._iterable_class
        queryset._fields = source._fields
        queryset._prefetch_related_lookups = source._prefetch_related_lookups
        return queryset

    def all(self, **values: Any) -> list:
        """Every row, as the built queryset returns them."""
        return list(self._queryset(**values))

    def first(self, **values: Any) -> Any:
        """The first row, for a query that is ordered and sliced ``[:1]`` by its builder."""
        rows = self.all(**values)
        return rows[0] if rows else None
