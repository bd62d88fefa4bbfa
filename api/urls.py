"""Content API v1 (see ../shared/api-contract.md)."""

from django.urls import path

from api.views.articles import ArticleDetailView, ArticleListView
from api.views.authors import AuthorDetailView, AuthorListView
from api.views.docs import DocsView, SchemaView
from api.views.paths import PathListView
from api.views.preview import PreviewView
from api.views.readers import ArticleCommentsView, ConsultationRequestView
from api.views.resolve import RedirectListView, ResolveView
from api.views.site import SiteView
from api.views.topics import TopicDetailView, TopicListView

app_name = "api"

urlpatterns = [
    path("articles/", ArticleListView.as_view(), name="article-list"),
    path("articles/<slug:slug>/", ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<slug:slug>/comments/", ArticleCommentsView.as_view(), name="article-comments"),
    path("consultation-requests/", ConsultationRequestView.as_view(), name="consultation-request-create"),
    path("topics/", TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", TopicDetailView.as_view(), name="topic-detail"),
    path("authors/", AuthorListView.as_view(), name="author-list"),
    path("authors/<slug:slug>/", AuthorDetailView.as_view(), name="author-detail"),
    path("site/", SiteView.as_view(), name="site"),
    path("preview/", PreviewView.as_view(), name="preview"),
    path("resolve/", ResolveView.as_view(), name="resolve"),
    path("redirects/", RedirectListView.as_view(), name="redirects"),
    path("paths/", PathListView.as_view(), name="paths"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]
