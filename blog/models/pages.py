"""Page types. Each follows one order: fields, content_panels, promote_panels, search_fields,
parent/subpage types, max_count, then methods."""

import math

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.html import strip_tags
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from blog.blocks import ArticleStreamBlock, BaseContentStreamBlock
from blog.indexing import index_article
from blog.models.mixins import HeadlessPreviewMixin, SeoMixin
from blog.models.review import BlogIndexPermissionTester, ClinicalReviewPermissionTester, stream_hash
from blog.models.snippets import ArticleTopic
from blog.panels import SearchAndSharingPanel
from blog.rich_text import SHORT_RICH_TEXT_FEATURES
from blog.visibility import PublicPageManager

WORDS_PER_MINUTE = 220
MAX_RELATED_PICKS = 4


class HomePage(SeoMixin, Page):
    """The practice's home page: who we help, how, and where."""

    intro = models.CharField(
        max_length=250, blank=True, help_text="One welcoming sentence under the page title."
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(BaseContentStreamBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("hero_image"), FieldPanel("body")]
    promote_panels = Page.promote_panels + SeoMixin.seo_panels
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1


class BlogIndexPage(SeoMixin, Page):
    """The one blog index (/blog/). Articles can only live here."""

    intro = RichTextField(features=SHORT_RICH_TEXT_FEATURES, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    promote_panels = Page.promote_panels + SeoMixin.seo_panels
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["blog.HomePage"]
    subpage_types = ["blog.ArticlePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from blog import selectors  # selectors import the models

        context = super().get_context(request, *args, **kwargs)
        articles = selectors.article_summaries(selectors.newest_articles(selectors.listed_articles()))
        context["articles"] = Paginator(articles, 12).get_page(request.GET.get("page"))
        return context

    def permissions_for_user(self, user):
        """Wagtail's permissions; articles below are published through the clinical review."""
        return BlogIndexPermissionTester(user, self)

    def get_workflow(self):
        """The clinical review assigned here is for the articles below, not the index itself:
        the index follows whatever workflow its own ancestors have."""
        own = getattr(self, "workflowpage", None)
        if own is not None:
            parent = self.get_parent()
            return parent.specific_deferred.get_workflow() if parent is not None else None
        return super().get_workflow()


class ArticlePage(HeadlessPreviewMixin, SeoMixin, Page):
    """A blog article: structured health content with clinical review."""

    excerpt = models.TextField(
        max_length=300,
        # TextField's max_length only reaches forms; the validator also holds for code and APIs.
        validators=[MaxLengthValidator(300)],
        help_text="One or two plain sentences (at most 300 characters) shown in lists, "
        "feeds and search results.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Wide image at the top, at least 1200 pixels wide. Give it a description "
        "in the image library: it is the image's alt text.",
    )
    author = models.ForeignKey(
        "blog.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="Who wrote it.",
    )
    reviewer = models.ForeignKey(
        "blog.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_articles",
        verbose_name="clinical reviewer",
        help_text="The licensed clinician who approved the content (recorded by the clinical review).",
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When the clinical reviewer approved it (recorded by the review)."
    )
    # Hash of the body the reviewer approved (``blog.models.review``): publishing needs it to
    # match the body being published. Set only by an approval, never by a form.
    review_body_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    topics = ClusterTaggableManager(
        through=ArticleTopic,
        blank=True,
        verbose_name="topics",
        help_text="2 to 5 topics work best. Type to pick an existing topic (Content library › Topics) "
        "or to add a new one.",
    )
    body = StreamField(ArticleStreamBlock())
    comments_enabled = models.BooleanField(
        default=True, help_text="Let readers leave comments (every comment is moderated first)."
    )
    reading_time_minutes = models.PositiveSmallIntegerField(
        default=1, editable=False, help_text="Derived from the body when saved."
    )
    focus_keyphrase = models.CharField(
        max_length=100,
        blank=True,
        help_text="The words you want this article found for, e.g. 'emotional numbness'. The "
        "preview above checks that they appear in the search title, the address, the first "
        "paragraph, the search description and a section heading.",
    )
    # Stored at save (with the reading time derived from it): structured data shows it on
    # every render, and counting walks and strips the whole body.
    body_word_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Words in the body, counted when saved."
    )

    # ``.visible(at)``, ``.listed(at)``, ``.published()``: the rule of ``blog.visibility``.
    objects = PublicPageManager()

    content_panels = Page.content_panels + [
        FieldPanel("excerpt"),
        FieldPanel("hero_image"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                # Recorded by the clinical review workflow when a clinician approves; editors
                # see them but cannot type them.
                FieldRowPanel(
                    [FieldPanel("reviewer", read_only=True), FieldPanel("last_reviewed", read_only=True)]
                ),
            ],
            heading="Author and clinical review",
        ),
        FieldPanel("body"),
        FieldPanel("topics"),
        InlinePanel(
            "related_picks",
            max_num=MAX_RELATED_PICKS,
            label="Further reading article",
            heading="Further reading (up to 4 articles, in order, listed at the end)",
        ),
    ]
    promote_panels = (
        [
            MultiFieldPanel(
                [SearchAndSharingPanel(), FieldPanel("focus_keyphrase")],
                heading="Search and sharing preview",
            )
        ]
        + Page.promote_panels
        + SeoMixin.seo_panels
    )
    settings_panels = Page.settings_panels + [FieldPanel("comments_enabled")]
    search_fields = Page.search_fields + [
        index.SearchField("excerpt"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("author"),
        index.FilterField("first_published_at"),
        # The schedule, so a search can apply the visibility rule (``blog.visibility``).
        index.FilterField("go_live_at"),
        index.FilterField("expire_at"),
    ]

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types: list[str] = []
    # Indexed by ``save`` (and removed on delete, ``blog.apps``), not by Wagtail's signal handlers.
    search_auto_update = False

    def clean(self):
        super().clean()
        errors = {}
        if self.last_reviewed and not self.reviewer_id:
            errors["reviewer"] = "Choose the clinical reviewer for the review date you entered."
        picks = [p for p in self.related_picks.all() if p.article_id]
        if len(picks) > MAX_RELATED_PICKS:
            errors["title"] = f"Pick at most {MAX_RELATED_PICKS} related articles."
        if self.pk and any(p.article_id == self.pk for p in picks):
            errors["title"] = "An article cannot be related to itself."
        picked_ids = [p.article_id for p in picks]
        if len(set(picked_ids)) != len(picked_ids):
            errors["title"] = "Each related article can be picked only once."
        if errors:
            raise ValidationError(errors)
        self.reading_time_minutes = self.compute_reading_time()

    def save(self, *args, **kwargs):
        self.reading_time_minutes = self.compute_reading_time()
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None:
            # Indexed here, once, after modelcluster has stored the topics (Wagtail's post_save
            # handler, switched off by ``search_auto_update``, would run before they are).
            # Deferred to one pass during a bulk import (``blog.indexing``).
            index_article(self)

    def body_text(self) -> str:
        """Plain text of the body, for reading time and structured data word counts."""
        parts = []
        for child in self.body:
            parts.extend(str(text) for text in child.block.get_searchable_content(child.value))
        return strip_tags(" ".join(parts))

    def word_count(self) -> int:
        return len(self.body_text().split())

    def compute_reading_time(self) -> int:
        """Whole minutes at ``WORDS_PER_MINUTE``; also stores the count in ``body_word_count``."""
        self.body_word_count = self.word_count()
        return max(1, math.ceil(self.body_word_count / WORDS_PER_MINUTE))

    def get_context(self, request, *args, **kwargs):
        """The rendered page's reads, done before it renders (no template tag queries): the
        body's images with renditions and its inline pointers' targets (``live_related``),
        and the related cards (``related``; none hidden from search engines)."""
        from blog import selectors  # selectors build on these models

        context = super().get_context(request, *args, **kwargs)
        context["live_related"] = selectors.prefetch_article_body(self)
        draft = getattr(request, "is_preview", False)  # a preview ranks by its own picks and topics
        context["related"] = [a for a in selectors.related_articles(self, draft=draft) if not a.noindex]
        return context

    @property
    def table_of_contents(self) -> list[dict]:
        return self.body.stream_block.table_of_contents(self.body)

    def body_hash(self) -> str:
        """Hash of the body as stored, compared with ``review_body_hash``."""
        return stream_hash(list(self.body.raw_data))

    def review_covers_body(self) -> bool:
        """True when a clinician approved exactly this body (so it may be published)."""
        return bool(self.review_body_hash) and self.review_body_hash == self.body_hash()

    def permissions_for_user(self, user):
        """Wagtail's permissions, with publishing gated by the clinical review."""
        return ClinicalReviewPermissionTester(user, self)


class ArticleRelatedPick(Orderable):
    """An editor-picked related article, shown before automatic suggestions."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_picks")
    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="+", help_text="An article to suggest next."
    )

    panels = [FieldPanel("article")]


class StandardPage(SeoMixin, Page):
    """A plain page: about us, services, fees."""

    intro = models.CharField(max_length=250, blank=True)
    body = StreamField(BaseContentStreamBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    promote_panels = Page.promote_panels + SeoMixin.seo_panels
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["blog.HomePage", "blog.StandardPage"]
    subpage_types = ["blog.StandardPage"]
