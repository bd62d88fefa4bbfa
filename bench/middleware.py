"""SQL queries per request, for the benchmark's table. Installed by bench.settings only."""

from contextlib import ExitStack

from django.db import connections

HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """Counts every query on every database connection and reports it in ``X-Bench-Queries``.

    Outermost middleware, so it counts what all the others do too (sessions, redirects).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        with ExitStack() as stack:
            for conn in connections.all():
                stack.enter_context(conn.execute_wrapper(counter))
            response = self.get_response(request)
        response[HEADER] = str(counter.count)
        return response


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
