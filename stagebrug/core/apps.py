from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stagebrug.core"
    label = "core"
    verbose_name = "Stagebrug"
