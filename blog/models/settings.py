"""Site-wide settings edited under Settings › Practice in the admin."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField

from blog.rich_text import SHORT_RICH_TEXT_FEATURES

DEFAULT_CRISIS_NOTICE = (
    "If you are in crisis or thinking about suicide, call or text 988 to reach the 988 "
    "Suicide & Crisis Lifeline, available 24/7. In an emergency, call 911."
)


class NavigationLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock()
    title = blocks.CharBlock(required=False, max_length=40, help_text="Leave empty to use the page title.")

    class Meta:
        icon = "link"
        label = "Menu link"


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(
        choices=[
            ("instagram", "Instagram"),
            ("facebook", "Facebook"),
            ("linkedin", "LinkedIn"),
            ("youtube", "YouTube"),
            ("tiktok", "TikTok"),
            ("psychology_today", "Psychology Today"),
        ]
    )
    url = blocks.URLBlock()

    class Meta:
        icon = "site"
        label = "Social profile"


@register_setting(icon="cog")
class PracticeSettings(ClusterableModel, BaseGenericSetting):
    """Who the practice is and how to reach it; rendered on every page and in the API."""

    practice_name = models.CharField(max_length=120, default="Heal & Thrive Psychotherapy")
    tagline = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=30, blank=True, help_text="e.g. '(310) 555-0142'.")
    email = models.EmailField(blank=True, help_text="Public contact email shown on the site.")
    street_address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=50, blank=True, default="CA")
    postal_code = models.CharField(max_length=20, blank=True)
    crisis_notice = models.TextField(
        default=DEFAULT_CRISIS_NOTICE,
        max_length=400,
        help_text="Shown at the top of every page. Keep the 988 Lifeline unless told otherwise.",
    )
    crisis_phone = models.CharField(
        max_length=20, default="988", help_text="The number people can call or text right now."
    )
    navigation = StreamField(
        [("link", NavigationLinkBlock())], blank=True, help_text="The main menu, in order."
    )
    cta_heading = models.CharField(
        "consultation heading", max_length=120, default="Ready to take the first step?"
    )
    cta_text = RichTextField(
        "consultation text",
        features=SHORT_RICH_TEXT_FEATURES,
        blank=True,
        help_text="Shown after every article unless the article has its own call to action.",
    )
    cta_button_label = models.CharField(max_length=40, default="Book a free consultation")
    cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Usually the consultation page.",
    )
    social_links = StreamField([("profile", SocialLinkBlock())], blank=True)
    authors_may_self_review = models.BooleanField(
        "clinicians may approve their own articles",
        default=False,
        help_text="Leave off to have every article checked by a second clinician.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "re-review after (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="An article's clinical review falls due this many months after its last review.",
    )
    default_social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="default sharing image",
        help_text="Shown when a page without a picture of its own is shared on social media "
        "or in messages. A wide picture, at least 1200 × 628 pixels, works best.",
    )
    default_social_image_alt = models.CharField(
        "default sharing image description",
        max_length=250,
        blank=True,
        help_text="What the picture shows, for people who cannot see it (its alt text).",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("practice_name"), FieldPanel("tagline"), FieldPanel("phone"), FieldPanel("email")],
            heading="Practice",
        ),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("city"),
                FieldPanel("region"),
                FieldPanel("postal_code"),
            ],
            heading="Office address (for search engines)",
        ),
        MultiFieldPanel([FieldPanel("crisis_notice"), FieldPanel("crisis_phone")], heading="Crisis notice"),
        FieldPanel("navigation"),
        MultiFieldPanel(
            [
                FieldPanel("cta_heading"),
                FieldPanel("cta_text"),
                FieldPanel("cta_button_label"),
                FieldPanel("cta_page"),
            ],
            heading="Default consultation call to action",
        ),
        FieldPanel("social_links"),
        MultiFieldPanel(
            [FieldPanel("authors_may_self_review"), FieldPanel("review_interval_months")],
            heading="Clinical review",
        ),
        MultiFieldPanel(
            [FieldPanel("default_social_image"), FieldPanel("default_social_image_alt")],
            heading="Sharing on social media",
        ),
    ]

    # Loaded with the settings (Wagtail's documented hook): every page without a picture
    # of its own is shared with it.
    select_related = ["default_social_image"]

    class Meta:
        verbose_name = "practice settings"

    def clean(self):
        super().clean()
        if self.default_social_image_id and not self.default_social_image_alt.strip():
            raise ValidationError(
                {"default_social_image_alt": "Describe the default sharing image: it is its alt text."}
            )
