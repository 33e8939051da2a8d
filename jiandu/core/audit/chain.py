"""The hash chain: how an entry is hashed, and how it is appended, one writer at a time.

An entry's hash is SHA-256 over the canonical JSON of every other field (sorted keys, no spaces, UTF-8,
the time in UTC with microseconds), `seq` and `prev_hash` included. Appending locks the one-row head table
(SELECT … FOR UPDATE) in the transaction of the change being recorded: writers queue there, each reads the
last sequence number and hash and moves them on, and a change that rolls back takes its entry with it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from jiandu.core.audit.actor import Actor, current_actor
from jiandu.core.models import AuditEntry, AuditHead

HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "body_id",
    "body_name",
    "action",
    "model",
    "object_id",
    "object_repr",
    "changes",
    "detail",
    "ip",
    "user_agent",
    "prev_hash",
)
REPR_MAX = AuditEntry._meta.get_field("object_repr").max_length or 200


def jsonable(value: Any) -> Any:
    """`value` as it will read back from a JSON column: dates as ISO text, decimals as text, tuples as
    lists, no NUL characters (PostgreSQL refuses them), no NaN."""
    return _clean(json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    return value


def _canonical_number(value: Any) -> Any:
    # PostgreSQL's jsonb gives 1e16 back as 10000000000000000: an integral float is hashed as an integer.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_canonical_number(item) for item in value]
    if isinstance(value, dict):
        return {key: _canonical_number(item) for key, item in value.items()}
    return value


def canonical(values: dict[str, Any]) -> bytes:
    """The bytes an entry's hash is computed over."""
    data = {name: values[name] for name in HASHED_FIELDS}
    at = data["at"]
    if isinstance(at, datetime.datetime):
        data["at"] = at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    data["changes"] = _canonical_number(data["changes"])
    data["detail"] = _canonical_number(data["detail"])
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def entry_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def _head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A flushed database (tests) or a first write: start from the last entry there is, if any.
        last = AuditEntry.objects.order_by("-seq").values("seq", "hash").first()
        AuditHead.objects.get_or_create(pk=1, defaults=last or {})
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def append(
    action: str,
    *,
    actor: Actor | None = None,
    model: str = "",
    object_id: Any = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry, in the caller's transaction (a rolled-back change leaves no entry)."""
    actor = actor or current_actor()
    with transaction.atomic(savepoint=False):
        head = _head()
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor.user_id,
            actor_username=actor.username[:150],
            body_id=actor.body_id,
            body_name=actor.body_name[:200],
            action=action,
            model=model,
            object_id=str(object_id if object_id is not None else "")[:64],
            object_repr=str(object_repr).replace("\x00", "")[:REPR_MAX],
            changes=jsonable(changes or {}),
            detail=jsonable({**actor.detail, **(detail or {})}),
            ip=actor.ip,
            user_agent=actor.user_agent,
            prev_hash=head.hash,
        )
        entry.hash = entry_hash({name: getattr(entry, name) for name in HASHED_FIELDS})
        entry._chained = True  # type: ignore[attr-defined]
        entry.save(force_insert=True)
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry
