"""``manage.py bench_profile list detail …`` (bench settings): where a target's time goes.

Runs each target's request in-process through the full middleware stack with pyinstrument
(a sampling profiler, so the numbers are what the request costs, not the profiler), after a
few unprofiled requests. Prints the call tree and the SQL statements of one request, grouped,
so the slow parts can be named concretely in docs/benchmarks.md. BENCH_CACHE picks cold
(``off``, the default) or warm.
"""

import re
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from pyinstrument import Profiler

from bench.run import targets
from bench.seed import sample_article_info


class Command(BaseCommand):
    help = "Profile benchmark targets in-process with pyinstrument and list their SQL."

    def add_arguments(self, parser):
        parser.add_argument("targets", nargs="+", help="target keys: list, detail, resolve, topics, …")
        parser.add_argument("--requests", type=int, default=30, help="profiled requests per target")
        parser.add_argument("--html", help="also write pyinstrument's HTML report to this folder")

    def handle(self, *args, targets: list[str], requests: int, html: str | None, **options):
        plan = {t.key: t for t in targets_for(set(targets))}
        unknown = set(targets) - set(plan)
        if unknown:
            raise CommandError(f"Unknown targets: {', '.join(sorted(unknown))}")
        client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=True)
        for key in targets:
            target = plan[key]
            headers = dict(target.headers)
            if target.etag_from:
                headers["If-None-Match"] = client.get(target.path).headers["ETag"]
            for _ in range(3):
                client.get(target.path, headers=headers)
            captured: list[str] = []
            with connection.execute_wrapper(_recorder(captured)):
                response = client.get(target.path, headers=headers)
            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(requests):
                client.get(target.path, headers=headers)
            profiler.stop()
            self.stdout.write(f"\n=== {target.label}: {target.path} ({response.status_code}) ===")
            self.stdout.write(f"{len(captured)} queries:")
            for sql, count in _grouped(captured).most_common():
                self.stdout.write(f"  {count:3d} × {sql}")
            self.stdout.write(profiler.output_text(unicode=True, color=False, show_all=False))
            if html:
                with open(f"{html}/profile-{key}.html", "w") as out:
                    out.write(profiler.output_html())


def targets_for(keys: set[str]):
    return targets(sample_article_info(), keys)


def _recorder(captured: list[str]):
    def record(execute, sql, params, many, context):
        captured.append(sql)
        return execute(sql, params, many, context)

    return record


def _grouped(queries: list[str]) -> Counter:
    """SQL with literals blanked, so one statement run per item shows as one line with a count."""
    shapes = Counter()
    for query in queries:
        sql = re.sub(r"'[^']*'|\b\d+\b", "?", query)
        sql = re.sub(r"\(\?(, \?)+\)", "(…)", sql)
        shapes[sql[:160]] += 1
    return shapes
