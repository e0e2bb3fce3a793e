from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "safeguard.records"
    label = "records"
    verbose_name = "Records management"
