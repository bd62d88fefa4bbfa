from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

# JSON in the API's error shape under /api/, HTML pages elsewhere.
handler400 = "cms.views.handler400"
handler403 = "cms.views.handler403"
handler404 = "cms.views.handler404"
handler500 = "cms.views.handler500"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("api.urls")),
    # robots.txt, sitemap.xml, feeds, topic and author pages (blog/urls.py).
    path("", include("blog.urls")),
    # Posts of the rendered site's comment form (readers app).
    path("", include("readers.urls")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # Uploaded media from the local folder; production normally serves it from shared
    # storage or a CDN in front of the load balancer.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Wagtail's page serving last: it catches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
