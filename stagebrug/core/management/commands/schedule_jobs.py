"""Queue every recurring job once (the daily reminders, the agreements' hourly check); each
then schedules its next run itself, so a running worker keeps them going without cron."""

from django.core.management.base import BaseCommand

from stagebrug.core.hooks import recurring_jobs
from stagebrug.core.tasks import enqueue_unless_waiting


class Command(BaseCommand):
    help = "Queue the recurring background jobs for the worker (those not queued yet)."

    def handle(self, *args, **options):
        for job in recurring_jobs.providers:
            queued = enqueue_unless_waiting(job)
            state = "queued" if queued else "already queued"
            self.stdout.write(f"{job.module_path}: {state}")
