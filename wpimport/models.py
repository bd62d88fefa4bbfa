"""What an import made of each WordPress object, keyed by WordPress id, so a second run of the
same export updates instead of duplicating."""

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
