"""Run ``settings.SCHEDULED_COMMANDS`` forever (``make run`` starts it beside the server and the
worker), or once with ``--once`` (for cron: ``* * * * * manage.py run_scheduler --once``)."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from publishing.scheduler import configured_jobs, run_due_jobs, seconds_until_next

# Upper bound on one sleep, so a stop request or a job claimed elsewhere is noticed soon.
MAX_SLEEP_SECONDS = 5.0


class Command(BaseCommand):
    help = "Run the periodic jobs of SCHEDULED_COMMANDS (publish scheduled pages every minute, …)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs that are due, then exit.")

    def handle(self, *args, once=False, **options):
        jobs = configured_jobs()
        if once:
            ran = run_due_jobs(jobs)
            self.stdout.write(f"Ran: {', '.join(ran) or 'nothing was due'}")
            return
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        described = ", ".join(f"{job.name} every {int(job.every.total_seconds())} s" for job in jobs)
        self.stdout.write(f"Scheduler running: {described or 'no jobs configured'}")
        self.stdout.flush()
        while self.running:
            run_due_jobs(jobs)
            # Like a request's end: drop connections the database closed or that are too old.
            close_old_connections()
            deadline = time.monotonic() + min(MAX_SLEEP_SECONDS, seconds_until_next(jobs))
            while self.running and time.monotonic() < deadline:
                time.sleep(0.2)

    def stop(self, signum, frame):
        self.running = False
