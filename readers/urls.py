from django.urls import path

from readers import views

urlpatterns = [
    path("comments/<int:article_id>/", views.post_comment, name="readers-post-comment"),
]
