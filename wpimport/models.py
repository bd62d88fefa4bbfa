"""What an import made of each WordPress object, keyed by WordPress id, so a second run of the
same export updates instead of duplicating."""

from django.conf import settings
from django.db import models


class ImportedObject(models.Model):
    """One WordPress object (post, page, attachment, comment, term, author) and what it became."""

    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"
        ATTACHMENT = "attachment", "Attachment"
        COMMENT = "comment", "Comment"
        TERM = "term", "Category or tag"
        AUTHOR = "author", "Author"

    source = models.CharField(
        max_length=200, help_text="The WordPress site the export came from (its base URL)."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    wp_id = models.CharField(
        max_length=200, help_text="WordPress's id (a login or slug for authors and terms)."
    )
    object_id = models.PositiveBigIntegerField(help_text="The id of what it became here.")
    fingerprint = models.CharField(
        max_length=64, help_text="Hash of the WordPress data last imported: unchanged data is skipped."
    )
    revision_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The page revision the import made: a later one means edited here."
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "wp_id"], name="wpimport_one_record_per_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.wp_id} -> {self.object_id}"


class StoredExport(models.Model):
    """An export uploaded in the admin, kept until its runs are done with it.

    Its bytes live in the database (``ExportChunk``), never in the media storage: the media
    bucket serves every object to whoever has its URL (docs/operations.md, "Media storage"),
    an export holds commenters' emails, and the web process and the task worker may run on
    different hosts, so a local folder would not be shared either. Deleted with its runs after
    ``WORDPRESS_IMPORT_RETENTION_DAYS`` (``manage.py prune_wordpress_imports``).
    """

    name = models.CharField(max_length=255, help_text="The uploaded file's name.")
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.name


class ExportChunk(models.Model):
    """One piece of a stored export, in order: written and read a piece at a time, so neither
    the upload nor the worker holds a 50 MB export in memory."""

    export = models.ForeignKey(StoredExport, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["export", "index"], name="wpimport_chunk_order")]

    def __str__(self) -> str:
        return f"{self.export_id} #{self.index}"


class ImportRun(models.Model):
    """One dry run or import of a stored export, run by the task worker."""

    class Kind(models.TextChoices):
        DRY_RUN = "dry-run", "Dry run"
        IMPORT = "import", "Import"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    export = models.ForeignKey(StoredExport, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    uploads = models.CharField(
        max_length=500, blank=True, help_text="The uploads folder (inside WORDPRESS_UPLOADS_ROOT)."
    )
    overwrite = models.BooleanField(default=False)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(null=True, blank=True, help_text="Report.as_dict() of a finished run.")
    error = models.CharField(max_length=500, blank=True, help_text="Why a failed run stopped (one line).")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("run_import", "Can import WordPress exports")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.export} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
