"""``python -m waypoint demo-data [--seed N] [--patients N]``: build the demo clinic."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from waypoint.demo.clinic import DEMO_PASSWORD, build, describe


class Command(BaseCommand):
    help = "Create the demo clinic (idempotent: a second run adds only what is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--patients", type=int, default=60, help="Number of patients (default 60)."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(
        self, *args: Any, seed: int, patients: int, no_progress: bool, **options: Any
    ) -> None:
        if patients < 2 or patients > 200_000:
            self.stderr.write("--patients must be between 2 and 200000.")
            raise SystemExit(2)
        with tqdm(total=patients, unit="patient", disable=no_progress, desc="Demo patients") as bar:
            summary = build(seed=seed, patients=patients, progress=bar.update)
            bar.update(summary.existing_patients)
        self.stdout.write(
            f"Demo clinic ready: {summary.created_patients} patients created, "
            f"{summary.existing_patients} already there, {summary.staff} staff."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for line in describe(summary.logins):
            self.stdout.write(line)
