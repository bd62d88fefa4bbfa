"""Build the demo site: settings, people, approaches, topics, pages and articles.

Idempotent: anything that already exists is left exactly as it is, so ``make run`` can call it
on every start without duplicating content or undoing edits made in the admin.
"""

import logging
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from blog.demo import content as demo_content
from blog.demo.builder import DemoContentError, build, demo_clinician_password
from blog.models import ArticlePage, Author, Location, TherapeuticApproach, Topic
from blog.models.review import CLINICIANS_GROUP
from blog.representations import page_path, public_url

# Loggers that report every page save and background task: useful on a server, noise here.
CHATTY_LOGGERS = ("django_tasks", "wagtail", "modelsearch")


@contextmanager
def quiet_loggers(names, level=logging.WARNING):
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, old in zip(loggers, previous, strict=True):
            logger.setLevel(old)


class Command(BaseCommand):
    help = "Create the demo content that is missing (safe to run any number of times)."

    def handle(self, *args, **options):
        started = time.monotonic()
        verbose = options["verbosity"] > 1
        try:
            with quiet_loggers(() if verbose else CHATTY_LOGGERS):
                site = build()
        except DemoContentError as exc:
            raise CommandError(str(exc)) from exc
        new = ", ".join(f"{count} {kind}" for kind, count in sorted(site.created.items()) if count)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready in {time.monotonic() - started:.1f}s: "
                f"{ArticlePage.objects.live().count()} live articles, "
                f"{Page.objects.filter(depth__gt=1).count()} pages, "
                f"{Author.objects.count()} authors, {TherapeuticApproach.objects.count()} approaches, "
                f"{Topic.objects.count()} topics, {Location.objects.count()} locations. "
                + (f"Created now: {new}." if new else "Nothing new: everything was already there.")
            )
        )
        article = site.pages["emotional-numbness"]
        self.stdout.write(f"Demo article: {public_url(page_path(article))}")
        demo_usernames = [a["slug"] for a in demo_content.AUTHORS if a["credentials"]]
        clinicians = list(
            get_user_model()
            .objects.filter(username__in=demo_usernames, groups__name=CLINICIANS_GROUP)
            .order_by("username")
            .values_list("username", flat=True)
        )
        if clinicians:
            self.stdout.write(
                f"Clinicians (approve articles in the clinical review): {', '.join(clinicians)}  "
                f"password: {demo_clinician_password()}"
            )
