"""Request-wide memo for the rendered site, as the API views have one."""

from blog import representations


class RepresentationScopeMiddleware:
    """Runs each public request inside ``representations.request_scope()``: the site root
    paths are looked up once per request, not once per link, breadcrumb and structured-data
    URL a page renders (with the shared cache cold or off, each was a query: 9 on an article
    page). The admin is left out: it edits sites, and reads them fresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            return self.get_response(request)
        with representations.request_scope():
            return self.get_response(request)
