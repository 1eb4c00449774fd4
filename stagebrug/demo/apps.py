from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data of every app, on the top floor: it may use every app's services, and no app
    imports it. Demo data is kept apart from reference data (KvK numbers from 9, e-mail
    addresses ending in .example)."""

    name = "stagebrug.demo"
    label = "demo"
    verbose_name = "Demo data"
