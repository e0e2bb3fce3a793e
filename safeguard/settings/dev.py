"""Local development and the demo: SQLite unless DATABASE_URL is set."""

import os

os.environ.setdefault("DEMO_MODE", "true")

from safeguard.settings.base import *  # noqa: F403
