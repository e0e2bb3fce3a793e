from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "safeguard.conferences"
    label = "conferences"
    verbose_name = "Child protection conferences"
