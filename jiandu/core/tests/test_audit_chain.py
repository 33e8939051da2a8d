"""The hash chain: appending, immutability through the ORM and the database, and `jiandu audit-verify`
finding the first entry that was edited, removed or inserted."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation

from jiandu.core import audit
from jiandu.core.audit.chain import HASHED_FIELDS, canonical, entry_hash
from jiandu.core.audit.triggers import drop_triggers
from jiandu.core.audit.verify import EDITED, INSERTED, REMOVED, check, verify_chain
from jiandu.core.models import AuditAction, AuditEntry, AuditHead, AuditTrailImmutable

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def make_chain(n: int = 5) -> list[AuditEntry]:
    return [
        audit.record(
            AuditAction.VIEW, model="org.person", object_id=i, object_repr=f"人员{i}", detail={"i": i}
        )
        for i in range(1, n + 1)
    ]


def verify(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("audit_verify", *args, "--lang", "en", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as error:
        verify(*args)
    return str(error.value)


def tamper(sql: str, *params: object) -> None:
    """What a database administrator could do: lift the triggers and write to the table directly."""
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def forge(seq: int, prev_hash: str, **values: object) -> AuditEntry:
    """An entry put in by someone who knows how hashes are computed."""
    fields = {"at": timezone.now(), "action": AuditAction.VIEW, "model": "org.person", "object_repr": "伪造"}
    entry = AuditEntry(seq=seq, prev_hash=prev_hash, **(fields | values))
    entry.hash = entry_hash({name: getattr(entry, name) for name in HASHED_FIELDS})
    entry._chained = True  # type: ignore[attr-defined]
    entry.save(force_insert=True)
    return entry


# --- appending ----------------------------------------------------------------------------------------


def test_entries_are_numbered_and_linked_by_their_hashes() -> None:
    entries = make_chain(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == ""
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    stored = AuditEntry.objects.get(seq=2)
    # The hash covers every other field, read back from the database exactly as written.
    assert entry_hash({name: getattr(stored, name) for name in HASHED_FIELDS}) == stored.hash
    assert AuditHead.objects.get(pk=1).seq == 3
    assert AuditHead.objects.get(pk=1).hash == entries[-1].hash


def test_the_canonical_form_is_stable_json_over_every_field() -> None:
    entry = make_chain(1)[0]
    values = {name: getattr(entry, name) for name in HASHED_FIELDS}
    data = json.loads(canonical(values))
    assert set(data) == set(HASHED_FIELDS)
    assert data["at"].endswith("+00:00") and data["object_repr"] == "人员1"
    assert canonical(values) == canonical(dict(reversed(list(values.items()))))


def test_values_are_stored_as_they_read_back() -> None:
    import datetime
    from decimal import Decimal

    entry = audit.record(
        AuditAction.IMPORT,
        detail={"when": datetime.date(2024, 1, 2), "amount": Decimal("1.50"), "ratio": 2.0, "t": (1, 2)},
    )
    assert entry.detail["when"] == "2024-01-02" and entry.detail["amount"] == "1.50"
    assert entry.detail["t"] == [1, 2]
    assert verify_chain().ok


def test_a_rolled_back_change_leaves_no_entry() -> None:
    make_chain(2)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            audit.record(AuditAction.CHANGE, model="org.body", object_repr="撤回")
            raise RuntimeError("the change fails after its entry was written")
    assert not AuditEntry.objects.filter(object_repr="撤回").exists()
    # The next entry takes the number the rolled-back one had: no gap.
    assert audit.record(AuditAction.VIEW).seq == 3
    assert verify_chain().ok


def test_a_flushed_head_starts_again_from_the_last_entry() -> None:
    make_chain(2)
    tamper("DELETE FROM core_audithead")
    assert audit.record(AuditAction.VIEW).seq == 3
    assert verify_chain().ok


# --- immutability -------------------------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_entries() -> None:
    entry = make_chain(1)[0]
    entry.object_repr = "改过"
    with pytest.raises(AuditTrailImmutable):
        entry.save()
    with pytest.raises(AuditTrailImmutable):
        entry.delete()
    with pytest.raises(AuditTrailImmutable):
        AuditEntry.objects.filter(seq=entry.seq).update(object_repr="改过")
    with pytest.raises(AuditTrailImmutable):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditTrailImmutable):
        AuditEntry.objects.bulk_update([entry], ["object_repr"])
    with pytest.raises(AuditTrailImmutable):
        AuditEntry.objects.bulk_create([AuditEntry(action="view", at=timezone.now())])
    # Not even a new entry can be saved by hand: only the chain appends.
    with pytest.raises(AuditTrailImmutable):
        AuditEntry.objects.create(action="view", at=timezone.now(), hash="0" * 64)
    assert AuditEntry.objects.get(seq=entry.seq).object_repr == "人员1"


def test_the_database_refuses_update_and_delete_whoever_connects() -> None:
    entry = make_chain(1)[0]
    for sql in (
        "UPDATE core_auditentry SET object_repr = 'x' WHERE seq = %s",
        "DELETE FROM core_auditentry WHERE seq = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry.seq])
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_audithead SET seq = 0")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_audithead")
    assert AuditEntry.objects.get(seq=entry.seq).object_repr == "人员1"


# --- verification -------------------------------------------------------------------------------------


def test_an_intact_chain_verifies() -> None:
    make_chain(5)
    out, _err = verify()
    assert "Verified 5 audit entries" in out
    head = AuditHead.objects.get(pk=1)
    assert f"Last entry: 5, hash {head.hash}" in out
    data = json.loads(verify("--json")[0])
    assert data == {"ok": True, "verified": 5, "last_seq": 5, "last_hash": head.hash, "problem": None}


def test_an_empty_trail_verifies() -> None:
    result = verify_chain()
    assert result.ok and result.verified == 0


def test_an_edited_entry_is_named() -> None:
    entries = make_chain(5)
    tamper("UPDATE core_auditentry SET object_repr = '张三' WHERE seq = 3")
    message = verify_fails()
    assert "Edited: entry 3 (" in message
    assert timezone.localtime(entries[2].at).strftime("%Y-%m-%d %H:%M:%S") in message
    assert "after 2 good entries" in message


def test_an_edited_change_value_is_found_too() -> None:
    audit.record(AuditAction.CHANGE, model="org.body", changes={"establishment": [4, 5]})
    make_chain(2)
    tamper("UPDATE core_auditentry SET changes = %s WHERE seq = 1", json.dumps({"establishment": [4, 9]}))
    result = verify_chain()
    assert result.problem is not None and (result.problem.kind, result.problem.seq) == (EDITED, 1)


def test_a_removed_entry_is_named() -> None:
    make_chain(5)
    tamper("DELETE FROM core_auditentry WHERE seq = 3")
    message = verify_fails()
    assert "Removed: entry 3 is missing; entry 4 (" in message and "follows entry 2" in message


def test_removed_entries_at_the_end_are_found_by_the_head() -> None:
    make_chain(5)
    tamper("DELETE FROM core_auditentry WHERE seq >= 4")
    result = verify_chain()
    assert result.problem is not None and (result.problem.kind, result.problem.seq) == (REMOVED, 4)
    assert "4 to 5" in result.problem.message


def test_an_inserted_entry_is_named() -> None:
    entries = make_chain(4)
    forge(5, prev_hash="f" * 64)
    data_out = StringIO()
    with pytest.raises(CommandError, match="Inserted: entry 5"):
        call_command("audit_verify", "--json", "--lang", "en", stdout=data_out)
    problem = json.loads(data_out.getvalue())["problem"]
    assert problem["kind"] == INSERTED and problem["seq"] == 5
    assert entries[-1].seq == 4


def test_an_entry_appended_behind_the_applications_back_is_found() -> None:
    entries = make_chain(3)
    # Perfectly linked, but the application did not write it: the head still ends at 3.
    forge(4, prev_hash=entries[-1].hash)
    result = verify_chain()
    assert result.problem is not None and (result.problem.kind, result.problem.seq) == (INSERTED, 4)


def test_a_replaced_entry_breaks_the_link_of_the_next() -> None:
    entries = make_chain(5)
    tamper("DELETE FROM core_auditentry WHERE seq = 3")
    forge(3, prev_hash=entries[1].hash, object_repr="替换")
    result = verify_chain()
    assert result.problem is not None and (result.problem.kind, result.problem.seq) == (INSERTED, 4)
    assert "the entry before it was replaced" in result.problem.message


def test_a_rewritten_chain_is_caught_by_an_anchor() -> None:
    entries = make_chain(3)
    anchor = f"{entries[1].seq}:{entries[1].hash}"
    assert "Verified 3" in verify("--anchor", anchor)[0]
    # Someone rewrites entry 2 and recomputes every hash after it, head included.
    tamper("DELETE FROM core_auditentry WHERE seq >= 2")
    tamper("DELETE FROM core_audithead")
    forged = forge(2, prev_hash=entries[0].hash, object_repr="重写")
    AuditHead.objects.create(pk=1, seq=2, hash=forged.hash)
    assert verify_chain().ok  # without the anchor, a complete rewrite is consistent
    message = verify_fails("--anchor", anchor)
    assert "entry 2" in message and "no longer has the hash noted for it" in message


def test_check_stops_at_the_first_problem() -> None:
    make_chain(6)
    tamper("UPDATE core_auditentry SET object_repr = 'x' WHERE seq IN (2, 5)")
    tamper("DELETE FROM core_auditentry WHERE seq = 4")
    result = verify_chain()
    assert result.problem is not None and result.problem.seq == 2 and result.verified == 1


def test_check_streams_without_a_database() -> None:
    """The walk itself is plain code over rows: a gap in sequence numbers is a removal."""
    rows = []
    prev = ""
    for seq in (1, 2, 4):
        row = {name: "" for name in HASHED_FIELDS} | {
            "seq": seq, "at": timezone.now(), "actor_id": None, "body_id": None, "changes": {}, "detail": {},
            "prev_hash": prev,
        }  # fmt: skip
        row["hash"] = entry_hash(row)
        prev = row["hash"]
        rows.append(row)
    result = check(iter(rows))
    assert result.problem is not None and (result.problem.kind, result.problem.seq) == (REMOVED, 3)


def test_a_command_run_is_recorded_with_its_actor() -> None:
    call_command("demo_accounts", "--json", stdout=StringIO())
    entry = AuditEntry.objects.get(action=AuditAction.COMMAND)
    assert entry.actor_username == "command:demo-accounts"
    assert entry.object_repr == "demo-accounts"
    assert "os_user" in entry.detail and entry.detail["options"] == {"json": True}
    # audit-verify only reads: it must run on a tampered trail, where appending could fail.
    verify()
    assert AuditEntry.objects.filter(action=AuditAction.COMMAND).count() == 1


# --- concurrent writers, and flushing ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers by itself")
def test_concurrent_writers_append_one_unbroken_chain() -> None:
    """Eight writers at once, each committing some changes and rolling others back: the head lock makes
    them take turns, so the chain has no fork, no gap and no entry of a rolled-back change."""
    writers, rounds = 8, 12
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for k in range(rounds):
                try:
                    with transaction.atomic():
                        audit.record(AuditAction.CHANGE, object_repr=f"{n}-{k}")
                        if k % 4 == 3:
                            raise RuntimeError("rolled back")
                except RuntimeError:
                    pass
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    kept = writers * rounds * 3 // 4
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, kept + 1))
    assert not AuditEntry.objects.filter(object_repr__endswith="-3").exists()
    result = verify_chain()
    assert result.ok and result.verified == kept


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_puts_the_triggers_back() -> None:
    make_chain(3)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists() and not AuditHead.objects.exists()
    entry = audit.record(AuditAction.VIEW)
    assert entry.seq == 1
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditentry")
