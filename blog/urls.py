from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_control

from blog import feeds, views
from blog.sitemaps import SITEMAPS

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        cache_control(public=True, max_age=600)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("blog/feed/rss/", feeds.LatestArticlesFeed(), name="feed-rss"),
    path("blog/feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("blog/topics/<slug:slug>/", views.topic_index, name="topic-index"),
    path("blog/topics/<slug:slug>/feed/rss/", feeds.TopicArticlesFeed(), name="topic-feed-rss"),
    path("blog/topics/<slug:slug>/feed/atom/", feeds.TopicArticlesAtomFeed(), name="topic-feed-atom"),
    path("blog/authors/<slug:slug>/", views.author_profile, name="author-profile"),
]
