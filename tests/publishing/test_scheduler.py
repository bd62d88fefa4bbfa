"""`manage.py run_scheduler`: the jobs of SCHEDULED_COMMANDS run when due, each run recorded in
``ScheduledJobRun``; the database decides what is due, so two schedulers never double a run."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from blog.models import ArticlePage
from publishing.models import ScheduledJobRun
from publishing.scheduler import ScheduledJob, claim, configured_jobs, run_due_jobs, seconds_until_next

pytestmark = pytest.mark.django_db

MINUTE = timedelta(seconds=60)


def runs() -> list[tuple]:
    return list(ScheduledJobRun.objects.values_list("name", "last_succeeded", "last_error"))


def test_publishing_scheduled_pages_every_minute_is_configured():
    assert configured_jobs()[0] == ScheduledJob("publish_scheduled", "publish_scheduled", MINUTE)


def test_a_due_job_runs_once_per_interval_and_each_run_is_recorded():
    job = ScheduledJob("check", "check", MINUTE)
    start = timezone.now()

    assert run_due_jobs([job], now=start) == ["check"]
    run = ScheduledJobRun.objects.get()
    assert (run.name, run.last_started_at, run.last_succeeded, run.last_error) == ("check", start, True, "")
    assert run.last_finished_at >= start

    assert run_due_jobs([job], now=start + timedelta(seconds=30)) == []
    assert seconds_until_next([job], now=start + timedelta(seconds=30)) == 30
    # Cron starts `run_scheduler --once` on the minute, give or take a moment: still due.
    assert run_due_jobs([job], now=start + timedelta(seconds=59)) == ["check"]
    assert ScheduledJobRun.objects.get().last_started_at == start + timedelta(seconds=59)


def test_a_failing_job_is_recorded_as_failed_and_the_other_jobs_still_run(caplog):
    failing = ScheduledJob("broken", "migrate", MINUTE, ("no_such_app",))
    fine = ScheduledJob("check", "check", MINUTE)

    assert run_due_jobs([failing, fine]) == ["broken", "check"]

    assert runs() == [
        ("broken", False, "CommandError: No installed app with label 'no_such_app'."),
        ("check", True, ""),
    ]
    assert "scheduled job broken failed" in caplog.text


def test_two_schedulers_claiming_the_same_run_start_it_once():
    job = ScheduledJob("check", "check", MINUTE)
    now = timezone.now()
    assert [claim(job, now=now), claim(job, now=now)] == [True, False]
    assert [claim(job, now=now + MINUTE), claim(job, now=now + MINUTE)] == [True, False]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "x", "command": "no_such_command", "every_seconds": 60}, "no management command"),
        ({"name": "x", "command": "check", "every_seconds": 0}, "every_seconds must be a positive integer"),
        ({"command": "check", "every_seconds": 60}, "needs a name and a command"),
    ],
)
def test_a_misconfigured_job_stops_the_scheduler_with_a_message(settings, entry, message):
    settings.SCHEDULED_COMMANDS = [entry]
    with pytest.raises(ImproperlyConfigured, match=message):
        configured_jobs()


def test_run_scheduler_once_publishes_an_article_whose_go_live_time_has_passed(
    make_article, monkeypatch, settings
):
    # Only the publishing job: the others (the daily link check…) are tested where they live.
    settings.SCHEDULED_COMMANDS = [j for j in settings.SCHEDULED_COMMANDS if j["name"] == "publish_scheduled"]
    article = make_article("Coming soon", live=False)
    article.go_live_at = timezone.now() + timedelta(hours=1)
    article.save_revision().publish()  # scheduled: not live yet
    assert not ArticlePage.objects.get(pk=article.pk).live
    later = timezone.now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)

    assert out.getvalue() == "Ran: publish_scheduled\n"
    assert ArticlePage.objects.get(pk=article.pk).live
    assert runs() == [("publish_scheduled", True, "")]
    assert ScheduledJobRun.objects.get().last_started_at == later
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert out.getvalue() == "Ran: nothing was due\n"
