from django.urls import path

from blog import views

urlpatterns = [
    path("blog/topics/<slug:slug>/", views.topic_index, name="topic-index"),
    path("blog/authors/<slug:slug>/", views.author_profile, name="author-profile"),
]
