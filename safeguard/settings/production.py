"""Production: everything from the environment, nothing relaxed.

Used by `manage.py check --deploy --settings=safeguard.settings.production` in the tests.
"""

from safeguard.settings.base import *  # noqa: F403
