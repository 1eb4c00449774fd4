"""Remind businesses of unanswered applications and close them politely when they stay
unanswered (W1: students always get an answer), and take placements whose start dates have all
passed offline. Run it daily from cron, or once with
--schedule: then the worker runs it every day by itself."""

from django.core.management.base import BaseCommand

from stagebrug.applications.services import applications_remind
from stagebrug.applications.tasks import daily_reminders
from stagebrug.core.tasks import enqueue_unless_waiting
from stagebrug.placements.services import placements_expire


class Command(BaseCommand):
    help = "Remind businesses of applications without a reply, and close old ones politely."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the daily job for the worker (once; it schedules itself afterwards).",
        )

    def handle(self, *args, schedule=False, **options):
        if schedule:
            enqueue_unless_waiting(daily_reminders)
            self.stdout.write("The daily reminder job is scheduled.")
            return
        result = applications_remind()
        expired = placements_expire()
        self.stdout.write(
            f"Reminded {result['reminded']}, closed {result['closed']}; "
            f"{expired} placement(s) past their start dates taken offline."
        )
