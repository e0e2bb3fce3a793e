from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "safeguard.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"
