"""``python -m waypoint token create USER [--name NAME]``, ``token list``, ``token revoke HINT``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from waypoint.core import audit
from waypoint.core.choices import AuditAction
from waypoint.core.models import ApiToken


class Command(BaseCommand):
    help = "Mint, list or revoke API bearer tokens for integrations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Mint a token; it is printed once.")
        create.add_argument("username")
        create.add_argument("--name", default="command-line token")
        sub.add_parser("list", help="List tokens (never their secret).")
        revoke = sub.add_parser("revoke", help="Revoke a token by the start shown in 'list'.")
        revoke.add_argument("hint")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            user = (
                get_user_model()
                .objects.filter(username=options["username"], is_active=True)
                .first()
            )
            if user is None:
                raise CommandError(f"No active user named {options['username']!r}.")
            token, raw = ApiToken.mint(user=user, name=options["name"])
            audit.log(
                audit.system_actor(),
                AuditAction.TOKEN,
                target=token,
                detail=f"minted for {user} on the command line",
            )
            self.stdout.write(raw)
            self.stderr.write(
                f"Token {token.hint}… for {user}: store it now, it is not shown again."
            )
        elif action == "list":
            for t in ApiToken.objects.select_related("user"):
                state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                self.stdout.write(f"{t.hint}…  {t.user.get_username():<16} {t.name}  ({state})")
        else:
            matches = ApiToken.objects.filter(
                hint__startswith=options["hint"].rstrip("…"), revoked_at__isnull=True
            )
            if matches.count() != 1:
                raise CommandError(
                    f"{matches.count()} active tokens start with {options['hint']!r}; "
                    "need exactly 1."
                )
            matches.update(revoked_at=timezone.now())
            self.stdout.write("Revoked.")
