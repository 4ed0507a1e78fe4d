"""``python -m waypoint COMMAND`` (or ``waypoint COMMAND`` once installed).

Waypoint's own commands use hyphens (``demo-data``, ``token create``); every Django
management command works too (``migrate``, ``runserver``, ``createsuperuser``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "waypoint"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
