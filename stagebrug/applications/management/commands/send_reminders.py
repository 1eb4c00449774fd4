"""Run daily (cron, or the worker's schedule): remind businesses of unanswered applications and
close them politely when they stay unanswered (W1: students always get an answer)."""

from django.core.management.base import BaseCommand

from stagebrug.applications.services import applications_remind


class Command(BaseCommand):
    help = "Remind businesses of applications without a reply, and close old ones politely."

    def handle(self, *args, **options):
        result = applications_remind()
        self.stdout.write(f"Reminded {result['reminded']}, closed {result['closed']}.")
