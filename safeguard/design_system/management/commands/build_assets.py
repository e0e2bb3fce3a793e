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

SYSTEM_FONT_STACK = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif'


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
        self._build_moj(base, sass, out)
        shutil.copy2(frontend / "govuk-frontend.min.js", out / "js" / "govuk" / "govuk-frontend.min.js")
        for script in (base / "assets" / "js").glob("*.mjs"):
            shutil.copy2(script, out / "js" / script.name)
        shutil.copytree(frontend / "assets", out / "govuk" / "assets", dirs_exist_ok=True)
        shutil.copytree(base / "assets" / "images", out / "images", dirs_exist_ok=True)
        self.stdout.write(f"Assets built in {out}")

    def _build_moj(self, base: Path, sass: Path, out: Path) -> None:
        """MoJ Frontend's case-work components, in their own stylesheet.

        MoJ Frontend configures GOV.UK Frontend's base module itself, so our font setting
        cannot reach it through Sass; its compiled font stack names GDS Transport (with no
        font files: nothing is loaded) and is replaced here by the service's system stack.
        """
        target = out / "css" / "moj.css"
        subprocess.run(
            [
                str(sass),
                "--no-source-map",
                "--style=compressed",
                "--quiet-deps",
                "--quiet",  # MoJ Frontend uses mixins GOV.UK Frontend has deprecated
                f"--load-path={base}",
                str(base / "assets" / "scss" / "moj.scss"),
                str(target),
            ],
            check=True,
        )
        css = target.read_text()
        target.write_text(css.replace('"GDS Transport",arial,sans-serif', SYSTEM_FONT_STACK))
        moj_assets = base / "node_modules" / "@ministryofjustice" / "frontend" / "moj" / "assets"
        shutil.copytree(moj_assets, out / "moj" / "assets", dirs_exist_ok=True)
