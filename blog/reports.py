"""The admin report "Reviews due": live articles whose clinical review is overdue or was never
recorded, sortable, exportable as CSV or XLSX (Wagtail's ``ReportView``)."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from blog import representations, review
from blog.models import ArticlePage
from blog.models.review import is_clinician

STATUS_LABELS = {
    review.STATUS_DUE: "Overdue",
    review.STATUS_NEVER: "Never reviewed",
    review.STATUS_CURRENT: "Current",
}


def user_may_see_reviews(user) -> bool:
    """Clinicians, and anyone who may add, change or publish pages."""
    return is_clinician(user) or PagePermissionPolicy().user_has_any_permission(
        user, ["add", "change", "publish"]
    )


DUE_WITHIN_CHOICES = [
    ("30", "…or due within 30 days"),
    ("90", "…or due within 90 days"),
    ("365", "…or due within a year"),
]


class ReviewsDueFilterSet(WagtailFilterSet):
    """Overdue and never-reviewed articles, or also those falling due soon (to plan reviews)."""

    due_within = django_filters.ChoiceFilter(
        label="Show",
        choices=DUE_WITHIN_CHOICES,
        empty_label="Overdue or never reviewed",
        method="filter_due_within",
    )

    def filter_due_within(self, queryset, name, value):
        day = timezone.localdate() + timedelta(days=int(value))
        return queryset.filter(review.due_by(day, review.interval_months()))

    class Meta:
        model = ArticlePage
        fields = []


class ReviewsDueView(ReportView):
    page_title = "Reviews due"
    header_icon = "date"
    index_url_name = "reviews_due"
    index_results_url_name = "reviews_due_results"
    model = ArticlePage
    filterset_class = ReviewsDueFilterSet
    paginate_by = 50
    default_ordering = "last_reviewed"
    columns = [
        TitleColumn("title", label="Article", url_name="wagtailadmin_pages:edit", sort_key="title"),
        Column("author_name", label="Author", sort_key="author__name"),
        Column("reviewer_name", label="Last clinical reviewer", sort_key="reviewer__name"),
        DateColumn("last_reviewed", label="Last reviewed", sort_key="last_reviewed"),
        # Due dates follow review dates in the same order.
        DateColumn("next_review_due", label="Review due", sort_key="last_reviewed"),
        Column("review_status", label="Status"),
    ]
    list_export = [
        "title",
        "author_name",
        "reviewer_name",
        "last_reviewed",
        "next_review_due",
        "review_status",
        "public_url",
    ]
    export_headings = {
        "title": "Article",
        "author_name": "Author",
        "reviewer_name": "Last clinical reviewer",
        "last_reviewed": "Last reviewed",
        "next_review_due": "Review due",
        "review_status": "Status",
        "public_url": "Public URL",
    }

    def dispatch(self, request, *args, **kwargs):
        if not user_may_see_reviews(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def months(self) -> int:
        return review.interval_months()

    def get_base_queryset(self):
        return review.live_reviewed_articles()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        valid = self.filters is not None and self.filters.is_valid()
        if not (valid and self.filters.form.cleaned_data.get("due_within")):
            queryset = queryset.filter(review.due_by(timezone.localdate(), self.months))
        return queryset

    def order_queryset(self, queryset):
        # Never-reviewed articles count as the oldest reviews, on every database.
        if self.ordering == "last_reviewed":
            return queryset.order_by(F("last_reviewed").asc(nulls_first=True), "title")
        if self.ordering == "-last_reviewed":
            return queryset.order_by(F("last_reviewed").desc(nulls_last=True), "title")
        return super().order_queryset(queryset)

    def decorate_paginated_queryset(self, object_list):
        today = timezone.localdate()
        for article in object_list:
            state = review.review_of(article, interval_months=self.months, today=today)
            article.next_review_due = state.next_review_due
            article.review_status = STATUS_LABELS[state.status]
            article.author_name = str(article.author) if article.author else ""
            article.reviewer_name = str(article.reviewer) if article.reviewer else ""
            article.public_url = representations.public_url(representations.page_path(article))
        return object_list
