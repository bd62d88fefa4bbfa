"""Models of the blog app, split by kind (pages, snippets, settings)."""

from blog.models.pages import ArticlePage, ArticleRelatedPick, BlogIndexPage, HomePage, StandardPage
from blog.models.review import ClinicalReviewTask
from blog.models.settings import PracticeSettings
from blog.models.snippets import ArticleTopic, Author, Location, TherapeuticApproach, Topic

__all__ = [
    "ArticlePage",
    "ArticleRelatedPick",
    "ArticleTopic",
    "Author",
    "BlogIndexPage",
    "ClinicalReviewTask",
    "HomePage",
    "Location",
    "PracticeSettings",
    "StandardPage",
    "TherapeuticApproach",
    "Topic",
]
