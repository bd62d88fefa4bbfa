"""Query parameters: declared per view, validated before anything runs.

Unknown parameters, repeated single-valued ones, NUL bytes and malformed values are a 400
that names the parameter (``{"error": {"fields": {"page_size": [...]}}}``), never a 500.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

ORDERINGS = ["-published_at", "published_at", "title", "-title"]
MAX_SEARCH_LENGTH = 200
MAX_PAGE = 999_999_999  # nine digits: api.pagination refuses longer numbers before counting
# Text without NUL bytes (``check_query_params`` refuses them): the schema says so as a pattern.
NO_NUL = RegexValidator(r"^[^\x00]*$", "Values cannot contain NUL bytes.")
# What ``GET /api/v1/resolve/`` takes: one leading '/', never '//' (another host), no NUL.
PUBLIC_PATH_PATTERN = r"^/([^/\x00][^\x00]*)?$"


def check_query_params(query_params, *, allowed: set[str], repeatable: frozenset[str] = frozenset()) -> None:
    """400 for parameters the endpoint does not know, repeated ones it takes once, and NUL
    bytes (PostgreSQL rejects them in strings; no legitimate value contains one)."""
    errors: dict[str, list[str]] = {}
    for name in query_params:
        values = query_params.getlist(name)
        if "\x00" in name:
            errors["\\x00"] = ["Parameter names cannot contain NUL bytes."]
            continue
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            errors[name[:60]] = [f"Unknown query parameter '{name[:60]}'. Known parameters: {known}."]
        elif len(values) > 1 and name not in repeatable:
            errors[name] = [f"Give '{name}' only once."]
        elif any("\x00" in value for value in values):
            errors[name] = ["Values cannot contain NUL bytes."]
    if errors:
        raise ValidationError(errors)


class ArticleListParams(serializers.Serializer):
    """Query parameters of ``GET /api/v1/articles/`` (also their schema)."""

    topic = serializers.ListField(
        child=serializers.SlugField(max_length=100),
        required=False,
        max_length=20,
        help_text="A topic slug. Repeat it for articles with ANY of the topics.",
    )
    author = serializers.SlugField(max_length=120, required=False, help_text="An author's slug.")
    search = serializers.CharField(
        max_length=MAX_SEARCH_LENGTH,
        validators=[NO_NUL],
        required=False,
        allow_blank=True,
        help_text="Words to find in the title, excerpt or body (all of them must appear).",
    )
    ordering = serializers.ChoiceField(
        choices=ORDERINGS, required=False, default="-published_at", help_text="Newest first by default."
    )
    page = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE, required=False, help_text="From 1; past the last page is a 404."
    )
    page_size = serializers.IntegerField(
        min_value=1, max_value=100, required=False, help_text="Default 12, at most 100."
    )

    ALLOWED = frozenset({"topic", "author", "search", "ordering", "page", "page_size"})
    REPEATABLE = frozenset({"topic"})

    @classmethod
    def parse(cls, query_params) -> dict:
        """Validated filters (``topic``, ``author``, ``search``, ``ordering``); pagination
        parameters are validated by ``api.pagination``."""
        check_query_params(query_params, allowed=cls.ALLOWED, repeatable=cls.REPEATABLE)
        singles = ("author", "search", "ordering")
        data = {name: query_params.get(name) for name in singles if name in query_params}
        if "topic" in query_params:
            data["topic"] = query_params.getlist("topic")
        params = cls(data=data)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        return {
            "topics": values.get("topic") or None,
            "author": values.get("author") or None,
            "search": (values.get("search") or "").strip() or None,
            "ordering": values.get("ordering", "-published_at"),
        }


class ResolveParams(serializers.Serializer):
    """Query parameters of ``GET /api/v1/resolve/`` (their schema; the view checks the same
    pattern). A path the pattern accepts is answered 200 or 404, never 400."""

    path = serializers.CharField(
        min_length=1,
        max_length=2000,
        trim_whitespace=False,
        validators=[
            RegexValidator(PUBLIC_PATH_PATTERN, "Give a path starting with a single '/', e.g. '/blog/'.")
        ],
        help_text="A public path starting with one '/', e.g. '/blog/emotional-numbness/'.",
    )


class PageParams(serializers.Serializer):
    """Query parameters of a list with nothing to filter (``GET /api/v1/paths/``): pagination
    only, validated by ``api.pagination``."""

    page = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE, required=False, help_text="From 1; past the last page is a 404."
    )
    page_size = serializers.IntegerField(
        min_value=1, max_value=100, required=False, help_text="Default 12, at most 100."
    )

    ALLOWED = frozenset({"page", "page_size"})
