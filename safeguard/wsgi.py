import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings.dev")
application = get_wsgi_application()

from safeguard.accounts.checks import refuse_to_start_on_failed_checks  # noqa: E402

refuse_to_start_on_failed_checks()
