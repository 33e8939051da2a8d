"""`jiandu audit-verify [--json] [--anchor SEQ:HASH …]`: walk the audit trail's hash chain."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from jiandu.core.audit.verify import verify_chain
from jiandu.core.commands import JianduCommand


def anchor(value: str) -> tuple[int, str]:
    seq, sep, digest = value.partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        raise ValueError(value)
    return int(seq), digest.lower()


class Command(JianduCommand):
    help = (
        "Verify the audit trail: recompute every entry's hash and check the chain. Exits non-zero naming "
        "the first entry that was edited, removed or inserted."
    )

    # Read-only: it must run on a tampered trail (where appending could fail) and on a read-only replica.
    audit_run = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            type=anchor,
            metavar="SEQ:HASH",
            help="an entry's sequence number and hash noted earlier (e.g. from a previous run); repeatable",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(anchors=dict(options["anchor"]))
        if options["json"]:
            payload = {
                "ok": result.ok,
                "verified": result.verified,
                "last_seq": result.last_seq,
                "last_hash": result.last_hash,
                "problem": result.problem.as_dict() if result.problem else None,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        if result.problem is not None:
            raise CommandError(
                _("The audit trail is broken after %(count)d good entries. %(problem)s")
                % {"count": result.verified, "problem": result.problem.message}
            )
        if not options["json"]:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Verified %(count)d audit entries: the chain is intact.") % {"count": result.verified}
                )
            )
            if result.last_seq:
                # Noted somewhere else, these let a later run prove the chain was not rewritten since.
                self.stdout.write(
                    _("Last entry: %(seq)d, hash %(hash)s (note it to check later runs with --anchor).")
                    % {"seq": result.last_seq, "hash": result.last_hash}
                )
