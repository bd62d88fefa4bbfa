"""Admin screen "Import from WordPress": upload an export, read the dry run's report, confirm
the import; both run in the task worker while the screen shows their progress."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from wpimport import runs
from wpimport.importer import KINDS
from wpimport.models import ImportRun
from wpimport.tasks import queue_run

PERMISSION = "wpimport.run_import"
RECENT_RUNS = 10
# Seconds between refreshes of a run's page while it is queued or running.
REFRESH_SECONDS = 2
# A queued run not started after this long suggests no task worker is running.
WORKER_LATE = timedelta(minutes=1)


def user_can_import(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


def _check(user) -> None:
    if not user_can_import(user):
        raise PermissionDenied


def max_bytes() -> int:
    return settings.WORDPRESS_IMPORT_MAX_BYTES


class UploadForm(forms.Form):
    export = forms.FileField(
        label="WordPress export file",
        help_text="The .xml file of WordPress's Tools › Export (All content).",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,text/xml,application/xml"}),
    )
    uploads = forms.CharField(
        required=False,
        max_length=500,
        label="Uploads folder on the server",
        help_text="Optional, for the images: a backup's wp-content/uploads folder, copied to the server.",
    )
    overwrite = forms.BooleanField(
        required=False,
        label="Also replace posts edited here since their import",
        help_text="Without this, a post changed in the CMS after its import is left alone and listed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        root = runs.uploads_root()
        self.fields["export"].help_text += f" At most {max_bytes() // (1024 * 1024)} MB."
        if root is not None:
            self.fields["uploads"].help_text += f" A folder inside {root}, e.g. wp-content/uploads."

    def clean_export(self):
        export = self.cleaned_data["export"]
        if not export.name.lower().endswith(".xml"):
            raise forms.ValidationError("Upload the .xml file WordPress exported.")
        if export.size > max_bytes():
            raise forms.ValidationError(
                f"The file is larger than {max_bytes() // (1024 * 1024)} MB "
                f"(WORDPRESS_IMPORT_MAX_BYTES); it was {export.size / (1024 * 1024):.1f} MB."
            )
        return export

    def clean_uploads(self):
        value = self.cleaned_data["uploads"].strip()
        if not value:
            return ""
        try:
            return str(runs.uploads_folder(value))
        except runs.UploadsRefused as exc:
            raise forms.ValidationError(str(exc)) from exc


def import_after(dry_run: ImportRun) -> ImportRun | None:
    """The import confirmed from this dry run (of its export, queued after it), if any."""
    if dry_run.kind != ImportRun.Kind.DRY_RUN:
        return None
    imports = dry_run.export.runs.filter(kind=ImportRun.Kind.IMPORT, pk__gt=dry_run.pk)
    return imports.order_by("pk").first()


def index(request):
    """The upload form and the latest runs."""
    _check(request.user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            export = runs.store_export(form.cleaned_data["export"])
            run = queue_run(
                export=export,
                kind=ImportRun.Kind.DRY_RUN,
                user=request.user,
                uploads=form.cleaned_data["uploads"],
                overwrite=form.cleaned_data["overwrite"],
            )
            return redirect("wordpress_import_run", run.pk)
        status = 400
    else:
        form, status = UploadForm(), 200
    recent = ImportRun.objects.select_related("export", "started_by")[:RECENT_RUNS]
    return TemplateResponse(
        request,
        "wpimport/admin/index.html",
        {"form": form, "runs": recent, "retention_days": settings.WORDPRESS_IMPORT_RETENTION_DAYS},
        status=status,
    )


def run_detail(request, pk: int):
    """A run's progress, then its report; a finished dry run offers the import."""
    _check(request.user)
    run = get_object_or_404(ImportRun.objects.select_related("export", "started_by"), pk=pk)
    done, total = runs.progress(run)
    report = run.report or {}
    counts = [(kind, report.get("counts", {}).get(kind, {})) for kind in KINDS] if report else []
    later_import = import_after(run)
    response = TemplateResponse(
        request,
        "wpimport/admin/run.html",
        {
            "run": run,
            "done": done,
            "total": total,
            "percent": round(100 * done / total) if total else 0,
            "counts": counts,
            "notes": report.get("notes", []),
            "refresh_seconds": None if run.finished else REFRESH_SECONDS,
            "waiting_long": run.status == ImportRun.Status.QUEUED
            and timezone.now() - run.created_at > WORKER_LATE,
            "can_confirm": run.kind == ImportRun.Kind.DRY_RUN
            and run.status == ImportRun.Status.DONE
            and later_import is None,
            "later_import": later_import,
        },
    )
    add_never_cache_headers(response)
    return response


@require_POST
def confirm(request, pk: int):
    """Queue the import of a finished dry run's export, with the same options."""
    _check(request.user)
    dry_run = get_object_or_404(ImportRun, pk=pk, kind=ImportRun.Kind.DRY_RUN, status=ImportRun.Status.DONE)
    existing = import_after(dry_run)
    if existing is not None:  # a second click (or a second tab) starts no second import
        return redirect("wordpress_import_run", existing.pk)
    run = queue_run(
        export=dry_run.export,
        kind=ImportRun.Kind.IMPORT,
        user=request.user,
        uploads=dry_run.uploads,
        overwrite=dry_run.overwrite,
    )
    return redirect("wordpress_import_run", run.pk)
