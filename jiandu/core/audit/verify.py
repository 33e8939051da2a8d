"""Walking the chain: recompute every hash, check each entry links to the one before, find the first break.

The walk streams the entries in sequence order, a chunk at a time, so it runs in constant memory over
millions of rows. It stops at the first problem:
- edited: the entry's content no longer gives its hash;
- removed: a sequence number is missing (or the last entries, when the chain's head names a later one);
- inserted: the entry's `prev_hash` is not the hash of the entry before it (an entry put in, or one
  replaced by another with a recomputed hash);
and checks the head (the last sequence number and hash the application wrote) and any anchors (sequence
numbers and hashes noted elsewhere earlier, `--anchor`): they catch a cut or rewritten end of the chain.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core.audit.chain import HASHED_FIELDS, entry_hash
from jiandu.core.models import AuditEntry, AuditHead

EDITED = "edited"
REMOVED = "removed"
INSERTED = "inserted"
ANCHOR = "anchor"
CHUNK_SIZE = 5000


@dataclass(frozen=True)
class Problem:
    kind: str  # edited, removed, inserted, head, anchor
    seq: int
    at: datetime.datetime | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "seq": self.seq,
            "at": self.at.isoformat() if self.at else None,
            "message": self.message,
        }


@dataclass
class Verification:
    verified: int = 0
    last_seq: int = 0
    last_hash: str = ""
    problem: Problem | None = None
    anchors: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.problem is None


def stream_entries(chunk_size: int = CHUNK_SIZE) -> Iterator[dict[str, Any]]:
    """Every entry in sequence order as a dict of the hashed fields plus `hash`, without model objects."""
    names = (*HASHED_FIELDS, "hash")
    rows = AuditEntry.objects.order_by("seq").values_list(*names).iterator(chunk_size=chunk_size)
    for row in rows:
        yield dict(zip(names, row, strict=True))


def _local(at: datetime.datetime | None) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S") if at else "?"


def check(
    entries: Iterable[dict[str, Any]],
    head: tuple[int, str] | None = None,
    anchors: dict[int, str] | None = None,
) -> Verification:
    """Verify `entries` (in sequence order). `head` is the (seq, hash) the application last wrote, read
    before the walk; `anchors` are (seq → hash) noted earlier. Both must still be found in the chain."""
    result = Verification(anchors=dict(anchors or {}))
    expected_seq, prev_hash, prev_at = 1, "", None
    for entry in entries:
        problem = _entry_problem(entry, expected_seq, prev_hash, prev_at) or _pinned_problem(
            entry, head, result.anchors
        )
        if problem:
            result.problem = problem
            return result
        result.verified += 1
        expected_seq, prev_hash, prev_at = entry["seq"] + 1, entry["hash"], entry["at"]
        result.last_seq, result.last_hash = entry["seq"], entry["hash"]
    result.problem = _tail_problem(result, head)
    return result


def _entry_problem(
    entry: dict[str, Any], expected_seq: int, prev_hash: str, prev_at: datetime.datetime | None
) -> Problem | None:
    seq, at = entry["seq"], entry["at"]
    params = {"seq": seq, "at": _local(at), "prev": expected_seq - 1, "first": expected_seq, "last": seq - 1}
    if seq != expected_seq:
        if seq - 1 == expected_seq:
            message = _("Removed: entry %(first)d is missing; entry %(seq)d (%(at)s) follows entry %(prev)d.")
        else:
            message = _(
                "Removed: entries %(first)d to %(last)d are missing; entry %(seq)d (%(at)s) follows "
                "entry %(prev)d."
            )
        return Problem(REMOVED, expected_seq, prev_at, message % params)
    if entry_hash(entry) != entry["hash"]:
        message = _(
            "Edited: entry %(seq)d (%(at)s) was changed after it was written; its content no longer "
            "matches its hash."
        )
        return Problem(EDITED, seq, at, message % params)
    if entry["prev_hash"] != prev_hash:
        message = _(
            "Inserted: entry %(seq)d (%(at)s) does not follow entry %(prev)d (its link to the previous hash "
            "is wrong): it was put in, or the entry before it was replaced."
        )
        return Problem(INSERTED, seq, at, message % params)
    return None


def _pinned_problem(
    entry: dict[str, Any], head: tuple[int, str] | None, anchors: dict[int, str]
) -> Problem | None:
    """An entry whose hash was noted (by the head, or as an anchor) must still have that hash."""
    seq, at = entry["seq"], entry["at"]
    params = {"seq": seq, "at": _local(at)}
    if head is not None and seq == head[0] and entry["hash"] != head[1]:
        message = _(
            "Inserted: entry %(seq)d (%(at)s) is not the entry the application wrote last (its hash differs "
            "from the chain's head): the end of the chain was replaced."
        )
        return Problem(INSERTED, seq, at, message % params)
    if seq in anchors and entry["hash"] != anchors[seq]:
        message = _(
            "Edited: entry %(seq)d (%(at)s) no longer has the hash noted for it: the chain was rewritten "
            "up to this entry."
        )
        return Problem(ANCHOR, seq, at, message % params)
    return None


def _tail_problem(result: Verification, head: tuple[int, str] | None) -> Problem | None:
    """Entries the head or an anchor names, but the walk never reached: the end of the chain was cut."""
    named = [seq for seq in result.anchors if seq > result.last_seq]
    if head is not None and head[0] > result.last_seq:
        named.append(head[0])
    if not named:
        return None
    first, last = result.last_seq + 1, max(named)
    if first == last:
        message = _("Removed: entry %(first)d, at the end of the chain, is missing.")
    else:
        message = _("Removed: the last entries, %(first)d to %(last)d, are missing.")
    return Problem(REMOVED, first, None, message % {"first": first, "last": last})


def _beyond_head(result: Verification, head_after: tuple[int, str] | None) -> Problem | None:
    """Entries past the head as it stands after the walk: the application moves the head in the transaction
    of every entry it writes, so these were put in by someone else."""
    if not result.ok or not result.last_seq:
        return None
    if head_after is None:
        message = _("Removed: the chain's head record is missing, so the end of the chain cannot be checked.")
        return Problem(REMOVED, result.last_seq, None, message)
    if result.last_seq <= head_after[0]:
        return None
    seq = head_after[0] + 1
    at = AuditEntry.objects.filter(seq=seq).values_list("at", flat=True).first()
    message = _(
        "Inserted: entry %(seq)d (%(at)s) and any after it were not written by the application (the chain's "
        "head ends at entry %(head)d)."
    )
    return Problem(INSERTED, seq, at, message % {"seq": seq, "at": _local(at), "head": head_after[0]})


def _read_head() -> tuple[int, str] | None:
    return AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()


def verify_chain(anchors: dict[int, str] | None = None, chunk_size: int = CHUNK_SIZE) -> Verification:
    """Verify the whole trail in the database. The head is read before the walk (entries it names must be
    found) and after it (no entry may lie beyond it); entries appended meanwhile are checked like the rest."""
    head_before = _read_head()
    result = check(stream_entries(chunk_size), head=head_before, anchors=anchors)
    result.problem = result.problem or _beyond_head(result, _read_head())
    return result
