from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "safeguard.home"
    label = "home"
    verbose_name = "Home and public pages"
