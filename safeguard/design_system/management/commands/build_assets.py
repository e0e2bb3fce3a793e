"""Compile the stylesheet with the council's colour and gather GOV.UK Frontend's assets.

Run at setup (``make assets``); the output in ``build/assets`` is served as static files
and never committed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Build CSS and JavaScript from the npm packages into build/assets."

    def handle(self, *args: Any, **options: Any) -> None:
        base: Path = settings.BASE_DIR
        out: Path = settings.ASSETS_BUILD_DIR
        frontend = base / "node_modules" / "govuk-frontend" / "dist" / "govuk"
        sass = base / "node_modules" / ".bin" / "sass"
        if not frontend.exists() or not sass.exists():
            raise CommandError("npm packages are missing: run `npm ci` first (make does this)")
        (out / "css").mkdir(parents=True, exist_ok=True)
        (out / "js" / "govuk").mkdir(parents=True, exist_ok=True)
        generated = base / "build" / "scss"
        generated.mkdir(parents=True, exist_ok=True)
        (generated / "_council.scss").write_text(f"$colour: {settings.COUNCIL_COLOUR};\n")
        subprocess.run(
            [
                str(sass),
                "--no-source-map",
                "--style=compressed",
                "--quiet-deps",
                f"--load-path={base}",
                f"--load-path={generated}",
                str(base / "assets" / "scss" / "application.scss"),
                str(out / "css" / "application.css"),
            ],
            check=True,
        )
        shutil.copy2(frontend / "govuk-frontend.min.js", out / "js" / "govuk" / "govuk-frontend.min.js")
        for script in (base / "assets" / "js").glob("*.mjs"):
            shutil.copy2(script, out / "js" / script.name)
        shutil.copytree(frontend / "assets", out / "govuk" / "assets", dirs_exist_ok=True)
        self.stdout.write(f"Assets built in {out}")
