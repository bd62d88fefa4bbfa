"""The "Broken links" report (Reports › Broken links): links in live pages that lead nowhere,
found by the task worker (``publishing.links``). Sortable by every column, exportable as CSV
or Excel, filterable by problem and kind of link."""

from __future__ import annotations

import django_filters
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import page_permission_policy

from publishing.models import PageLink


class BrokenLinksFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Problem",
        choices=[c for c in PageLink.Status.choices if c[0] != PageLink.Status.OK],
        empty_label="Broken or unreachable",
    )
    kind = django_filters.ChoiceFilter(label="Link to", choices=PageLink.Kind.choices, empty_label="Anywhere")

    class Meta:
        model = PageLink
        fields = ["status", "kind"]


def _edit_url(link: PageLink) -> str:
    return reverse("wagtailadmin_pages:edit", args=[link.page_id])


class BrokenLinksReportView(ReportView):
    page_title = "Broken links"
    header_icon = "warning"
    index_url_name = "broken_links_report"
    index_results_url_name = "broken_links_report_results"
    filterset_class = BrokenLinksFilterSet
    model = PageLink
    # Whoever can edit pages fixes their links.
    permission_policy = page_permission_policy
    any_permission_required = ["add", "change", "publish"]
    default_ordering = "page__title"
    columns = [
        TitleColumn("page", label="Page", accessor="page.title", get_url=_edit_url, sort_key="page__title"),
        Column("url", label="Link", sort_key="url"),
        Column("location", label="Where", sort_key="location"),
        Column("problem", label="Status", sort_key="status_code"),
        DateColumn("last_checked_at", label="Last checked", sort_key="last_checked_at"),
    ]
    list_export = [
        "page.title",
        "page_url",
        "url",
        "get_kind_display",
        "location",
        "text",
        "get_status_display",
        "status_code",
        "problem",
        "last_checked_at",
    ]
    export_headings = {
        "page.title": "Page",
        "page_url": "Page URL",
        "url": "Link",
        "get_kind_display": "Link to",
        "location": "Where",
        "text": "Link text",
        "get_status_display": "Result",
        "status_code": "HTTP status",
        "problem": "Problem",
        "last_checked_at": "Last checked",
    }

    def get_filename(self) -> str:
        return f"broken-links-{timezone.localdate():%Y-%m-%d}"

    def get_base_queryset(self):
        return PageLink.objects.exclude(status=PageLink.Status.OK).select_related("page")

    def order_queryset(self, queryset):
        # Links without a status (unreachable, not checked) sort after every HTTP status, in
        # both directions and on every database (PostgreSQL puts NULLs first when descending).
        ordering = self.ordering if isinstance(self.ordering, (list, tuple)) else (self.ordering,)
        terms = []
        for field in filter(None, ordering):
            name = field.lstrip("-")
            expression = (
                F(name).desc(nulls_last=True) if field.startswith("-") else F(name).asc(nulls_last=True)
            )
            terms.append(expression)
        return queryset.order_by(*terms) if terms else queryset
