from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "safeguard.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"

    def ready(self) -> None:
        # Contacts on the child's history page, which people may not import; imported here
        # because models can be imported only once the app registry is ready.
        from safeguard.frontdoor.history import contact_history
        from safeguard.people.history import history_source_register

        history_source_register(contact_history)
