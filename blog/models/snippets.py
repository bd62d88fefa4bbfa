"""Reusable content written once and chosen from pages and blocks: authors, approaches,
locations and topics."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from taggit.models import TagBase, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from blog.rich_text import SHORT_RICH_TEXT_FEATURES


class Author(index.Indexed, models.Model):
    """A clinician or staff member who writes or clinically reviews articles."""

    name = models.CharField(max_length=120, help_text="Full name as readers should see it.")
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="Used in the profile address, e.g. /blog/authors/maya-chen/. "
        "Filled in from the name if left empty.",
        blank=True,
    )
    credentials = models.CharField(
        max_length=60,
        blank=True,
        help_text="Letters after the name, e.g. 'LMFT', 'PsyD', 'LCSW'.",
    )
    role = models.CharField(
        max_length=120, blank=True, help_text="e.g. 'Clinical Director' or 'Trauma therapist'."
    )
    bio = RichTextField(features=SHORT_RICH_TEXT_FEATURES, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A friendly head-and-shoulders photo, at least 400 × 400 pixels.",
    )
    license_number = models.CharField(
        max_length=60,
        blank=True,
        help_text="Optional state license number, shown on the profile (e.g. 'LMFT 123456').",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        verbose_name="user account",
        help_text="The person's login. A clinician's approvals in the clinical review are recorded "
        "as this profile, with its credentials.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [FieldPanel("credentials"), FieldPanel("role"), FieldPanel("license_number")],
            heading="Professional details",
        ),
        FieldPanel("photo"),
        FieldPanel("bio"),
        # Only those who manage user accounts may tie a profile to one (it decides whose name
        # and credentials an approval records).
        FieldPanel("user", permission="auth.change_user"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("slug"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)

    @property
    def path(self) -> str:
        """Public path of the author's profile page."""
        return reverse("author-profile", kwargs={"slug": self.slug})


class TherapeuticApproach(index.Indexed, models.Model):
    """A therapy approach (CBT, ACT, EMDR…) described once and reused by approach blocks."""

    name = models.CharField(max_length=120, help_text="e.g. 'Cognitive Behavioral Therapy'.")
    abbreviation = models.CharField(max_length=20, blank=True, help_text="e.g. 'CBT'.")
    summary = RichTextField(
        features=SHORT_RICH_TEXT_FEATURES,
        help_text="Two or three sentences in plain language: what it is and how it helps.",
    )
    evidence_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Optional one-line note on the research behind it, for readers who ask.",
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A page on this site to read more (preferred over an external link).",
    )
    link_url = models.URLField(blank=True, help_text="Or an external page to read more.")

    panels = [
        FieldPanel("name"),
        FieldPanel("abbreviation"),
        FieldPanel("summary"),
        FieldPanel("evidence_note"),
        MultiFieldPanel([FieldPanel("link_page"), FieldPanel("link_url")], heading="Read more"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "therapeutic approach"
        verbose_name_plural = "therapeutic approaches"

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class Location(models.Model):
    """An area the practice serves: an in-person city or a telehealth region."""

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        TELEHEALTH = "telehealth", "Telehealth"

    name = models.CharField(max_length=120, help_text="e.g. 'Los Angeles' or 'California'.")
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.IN_PERSON)
    description = models.CharField(
        max_length=200, blank=True, help_text="Optional, e.g. 'Office in Santa Monica'."
    )
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Topic(TagBase):
    """A topic tag (anxiety, trauma…). Slugs come from taggit; a description is optional."""

    slug_validator = RegexValidator(r"^[-a-z0-9]+$")
    description = models.TextField(
        blank=True,
        max_length=600,
        help_text="Optional introduction shown at the top of the topic's page.",
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="sharing image",
        help_text="Shown when the topic's page is shared on social media. Leave empty to use "
        "the newest article's image, or the practice's default sharing image.",
    )

    # The stored count of visible articles (docs/decisions/0002): used while ``counted_until``
    # is in the future, else counted live. Every change to public output empties
    # ``counted_until`` and increments ``count_epoch`` in its own transaction; a refresh after
    # the commit stores a count only for rows whose epoch it read, so a count computed before
    # a later change is never stored. ``counted_until`` is the next go-live or expiry date,
    # after which the count may change without any write.
    counted_articles = models.PositiveIntegerField(default=0, editable=False)
    counted_until = models.DateTimeField(null=True, editable=False)
    count_epoch = models.PositiveBigIntegerField(default=0, editable=False)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("social_image")]

    class Meta:
        ordering = ["name"]
        verbose_name = "topic"

    @property
    def path(self) -> str:
        return reverse("topic-index", kwargs={"slug": self.slug})


class ArticleTopic(TaggedItemBase):
    """Through model tying articles to topics (so topics have slugs and counts)."""

    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = ParentalKey("blog.ArticlePage", on_delete=models.CASCADE, related_name="tagged_topics")

    class Meta:
        # The related ranking counts a topic's rows per article from this index alone.
        indexes = [models.Index(fields=["tag", "content_object"], name="blog_articletopic_tag_article")]
