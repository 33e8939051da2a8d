"""What goes into the audit trail by itself: changes through the pages and the ORM with before and after,
sign-ins, views of personal data, exports, and one summary entry for bulk paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from factories import PersonFactory, UserFactory
from scenario import Registry

from jiandu.access.models import User
from jiandu.core import audit
from jiandu.core.audit.verify import verify_chain
from jiandu.core.models import AuditAction, AuditEntry
from jiandu.org import demo, services
from jiandu.org.divisions import import_divisions
from jiandu.org.models import Body, Department, Post, Region, Skill

pytestmark = pytest.mark.django_db

PASSWORD = "Jiandu-test-2024"
DEMO_DATA = Path(demo.__file__).resolve().parent / "demo_data"


def signed_in(user: User) -> Client:
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (审计测试)")
    client.force_login(user)
    return client


def entries_after(seq: int, **filters: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(seq__gt=seq, **filters).order_by("seq"))


def last_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.fixture
def editor(registry: Registry) -> User:
    permissions = ["org.change_body", "org.add_department", "org.change_department", "org.change_person"]
    return UserFactory(username="puding-editor", body=registry.commission, permissions=permissions)


# --- changes ------------------------------------------------------------------------------------------


def test_editing_a_body_on_its_page_records_before_and_after(editor: User, registry: Registry) -> None:
    client = signed_in(editor)
    start = last_seq()
    group = registry.group
    response = client.post(
        reverse("org:body-edit", args=[group.pk]),
        {
            "name": "普定县纪委监委派驻第一纪检监察组",
            "establishment": "5",
            "parent": registry.commission.pk,
            "is_active": "on",
            "supervised_departments": [registry.health.pk, registry.education.pk],
        },
    )
    assert response.status_code == 302
    change, m2m = entries_after(start)
    assert (change.action, change.model, change.object_id) == ("change", "org.body", str(group.pk))
    assert change.object_repr == group.name
    # Only what changed, and never the automatic timestamps.
    assert change.changes == {"establishment": [3, 5]}
    assert (change.actor_id, change.actor_username) == (editor.pk, "puding-editor")
    assert (change.body_id, change.body_name) == (registry.commission.pk, "普定县纪委监委")
    assert change.ip == "127.0.0.1" and change.user_agent == "Mozilla/5.0 (审计测试)"
    assert m2m.changes == {
        "supervised_departments": [[registry.health.pk], sorted([registry.health.pk, registry.education.pk])]
    }
    assert m2m.detail["added"] == [{"id": registry.education.pk, "repr": "普定县教育局"}]
    assert verify_chain().ok


def test_creating_a_department_records_its_values_and_a_foreign_key_as_id_and_text(
    editor: User, registry: Registry
) -> None:
    client = signed_in(editor)
    start = last_seq()
    response = client.post(
        reverse("org:department-create"),
        {"region": registry.puding.pk, "name": "普定县民政局", "short_name": "县民政局", "is_active": "on"},
    )
    assert response.status_code == 302
    [entry] = entries_after(start)
    department = Department.objects.get(name="普定县民政局")
    assert (entry.action, entry.model, entry.object_id) == ("create", "org.department", str(department.pk))
    assert entry.changes == {
        "region": [None, {"id": registry.puding.pk, "repr": "普定县"}],
        "name": [None, "普定县民政局"],
        "short_name": [None, "县民政局"],
        "is_active": [None, True],
    }


def test_editing_a_department_on_its_page_saves_and_records_the_change(
    editor: User, registry: Registry
) -> None:
    client = signed_in(editor)
    start = last_seq()
    response = client.post(
        reverse("org:department-edit", args=[registry.health.pk]),
        {"region": registry.puding.pk, "name": "普定县卫生健康局", "short_name": "卫健局", "sector": "卫健",
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    registry.health.refresh_from_db()
    assert registry.health.short_name == "卫健局"
    [entry] = entries_after(start)
    assert (entry.action, entry.changes) == ("change", {"short_name": ["县卫健局", "卫健局"]})


def test_a_changed_foreign_key_shows_both_records(registry: Registry) -> None:
    start = last_seq()
    department = registry.health
    services.department_save(
        acting_user=None, department=department, fields={"region": registry.xixiu, "sector": "卫生"}
    )
    [entry] = entries_after(start)
    assert entry.changes == {
        "region": [{"id": registry.puding.pk, "repr": "普定县"}, {"id": registry.xixiu.pk, "repr": "西秀区"}],
        "sector": ["卫健", "卫生"],
    }
    # Outside a request or a command, the OS user is named.
    assert entry.actor_username == "" and "os_user" in entry.detail


def test_skills_of_a_person_are_recorded_as_lists(editor: User, registry: Registry) -> None:
    law, audit_skill = Skill.objects.create(name="法律"), Skill.objects.create(name="审计")
    client = signed_in(editor)
    start = last_seq()
    person = registry.zhang
    response = client.post(
        reverse("org:person-edit", args=[person.pk]),
        {
            "name": "张伟",
            "birth_year": "1981",
            "education": "bachelor",
            "is_party_member": "on",
            "skills": [law.pk, audit_skill.pk],
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.birth_year == 1981  # the page saves what changed (the form works on its own copy)
    entries = entries_after(start)
    assert entries[0].changes == {"birth_year": [1980, 1981]}
    assert entries[1].changes == {"skills": [[], sorted([law.pk, audit_skill.pk])]}
    assert {item["repr"] for item in entries[1].detail["added"]} == {"法律", "审计"}


def test_deleting_records_the_last_values(registry: Registry) -> None:
    post = Post.objects.get(person=registry.zhao)
    pk = post.pk
    start = last_seq()
    post.delete()
    [entry] = entries_after(start)
    assert (entry.action, entry.model, entry.object_id) == ("delete", "org.post", str(pk))
    assert entry.changes["person"] == [{"id": registry.zhao.pk, "repr": "赵磊"}, None]
    assert entry.changes["kind"] == ["village_committee_member", None]


def test_a_save_that_changes_nothing_writes_nothing(registry: Registry) -> None:
    start = last_seq()
    registry.city.save()
    assert entries_after(start) == []


def test_a_rolled_back_change_leaves_no_entry(registry: Registry) -> None:
    start = last_seq()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.person_save(acting_user=None, person=None, fields={"name": "回滚"})
            raise RuntimeError
    assert entries_after(start) == []


def test_passwords_are_masked_and_sign_in_times_ignored(registry: Registry) -> None:
    user = UserFactory(username="mask-me", body=registry.commission)
    created = AuditEntry.objects.filter(model="access.user", object_id=str(user.pk)).get()
    assert created.changes["password"] == [None, "***"]
    start = last_seq()
    user.set_password("Another-password-2024")
    user.save()
    [entry] = entries_after(start)
    assert entry.changes == {"password": ["***", "***"]}
    assert "pbkdf2" not in str(AuditEntry.objects.filter(seq__gt=start).values_list("changes", "detail"))
    user.rotate_security_stamp()
    user.save(update_fields=["security_stamp"])
    # An empty secret stays visibly empty; any value is masked.
    assert entries_after(entry.seq)[0].changes == {"security_stamp": ["", "***"]}
    start = last_seq()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert entries_after(start) == []


# --- sign-in, views, exports --------------------------------------------------------------------------


def test_sign_in_failed_sign_in_and_sign_out_are_recorded(registry: Registry) -> None:
    UserFactory(username="wangfang", body=registry.maguan_office)
    start = last_seq()
    client = Client(HTTP_USER_AGENT="Firefox")
    assert (
        client.post(reverse("login"), {"username": "wangfang", "password": "wrong-password-1"}).status_code
        == 200
    )
    assert client.post(reverse("login"), {"username": "wangfang", "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    entries = [e for e in entries_after(start) if e.action in ("login", "login_failed", "logout")]
    failed, login, logout = entries
    assert failed.action == "login_failed" and failed.actor_id is None and failed.object_repr == "wangfang"
    assert failed.detail["username"] == "wangfang" and "wrong" not in str(failed.detail)
    assert failed.ip == "127.0.0.1" and failed.user_agent == "Firefox"
    assert (login.action, login.actor_username, login.body_name) == ("login", "wangfang", "马官镇纪委")
    assert (logout.action, logout.actor_username) == ("logout", "wangfang")


def test_opening_a_persons_page_is_recorded_as_a_view(registry: Registry) -> None:
    user = UserFactory(username="reader", body=registry.commission)
    client = signed_in(user)
    start = last_seq()
    assert client.get(reverse("org:person-detail", args=[registry.zhang.pk])).status_code == 200
    [entry] = entries_after(start)
    assert (entry.action, entry.model, entry.object_id, entry.object_repr) == (
        "view", "org.person", str(registry.zhang.pk), "张伟",
    )  # fmt: skip
    assert (entry.actor_username, entry.body_name) == ("reader", "普定县纪委监委")
    # Out of scope: 404, and nothing was seen, so nothing is recorded.
    assert client.get(reverse("org:person-detail", args=[registry.zhou.pk])).status_code == 404
    assert entries_after(entry.seq) == []


def test_a_staffing_export_is_recorded(registry: Registry) -> None:
    client = signed_in(UserFactory(username="exporter", body=registry.commission))
    assert AuditEntry.objects.filter(action="login", actor_username="exporter").exists()
    start = last_seq()
    response = client.get(reverse("org:staffing") + "?region=520422000000&format=csv")
    assert response.status_code == 200
    [entry] = entries_after(start)
    assert (entry.action, entry.model, entry.actor_username) == ("export", "org.body", "exporter")
    assert entry.detail == {"count": 4, "filters": {"region": "520422000000"}}


def test_audit_view_takes_a_user_too(registry: Registry) -> None:
    user = UserFactory(username="api-user", body=registry.group)
    entry = audit.audit_view(user, registry.health)
    assert (entry.actor_username, entry.body_id, entry.model) == (
        "api-user",
        registry.group.pk,
        "org.department",
    )


# --- bulk paths ---------------------------------------------------------------------------------------


def test_the_division_import_writes_one_summary_entry(db: None) -> None:
    start = last_seq()
    result = import_divisions(DEMO_DATA)
    [entry] = entries_after(start)
    assert (entry.action, entry.model, entry.object_repr) == ("import", "org.region", "demo_data")
    assert entry.detail["total"]["created"] == result.total_created == Region.objects.count()


def test_the_demo_build_writes_summaries_not_a_row_each(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo saves bodies one by one and accounts with their groups: none of it row by row in the
    trail. (A few bodies stand in for the whole Anshun build, which jiandu/org/tests/test_demo.py runs.)"""

    def few_bodies() -> None:
        city = Region.objects.get(code="520400000000")
        demo._body("commission", "city", city, "安顺市纪委监委", establishment=96)
        for county in Region.objects.filter(parent=city, kind="county"):
            demo._body("commission", "county", county, f"{county.name}纪委监委", establishment=30)

    monkeypatch.setattr(demo, "_build_registry", few_bodies)
    monkeypatch.setattr(
        demo, "_account_specs", lambda: [("anshun", lambda: Body.objects.get(name="安顺市纪委监委"))]
    )
    start = last_seq()
    demo.demo_build()
    entries = entries_after(start)
    assert [(e.action, e.model) for e in entries] == [("import", "org.region"), ("import", "org.body")]
    assert entries[1].detail | {"os_user": "", "host": ""} == {
        "built": True, "bodies": 7, "people": 0, "posts": 0, "os_user": "", "host": "",
    }  # fmt: skip
    assert User.objects.filter(username="anshun").exists()
    assert verify_chain().ok


def test_suspended_capture_still_takes_explicit_entries(db: None) -> None:
    start = last_seq()
    with audit.suspended():
        PersonFactory(name="不记")
        audit.record(AuditAction.IMPORT, model="org.person", detail={"count": 1})
    assert [e.action for e in entries_after(start)] == ["import"]


def test_a_model_may_name_the_action_of_its_entries(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jiandu.access.models import Share
    from jiandu.access.services import share_record

    def audit_action(self: Share, *, created: bool, changes: dict[str, Any]) -> str | None:
        return AuditAction.SHARE if created else AuditAction.REVOKE if "revoked_at" in changes else None

    monkeypatch.setattr(Share, "audit_action", audit_action, raising=False)
    sharer = UserFactory(username="sharer", body=registry.commission)
    start = last_seq()
    share_record(acting_user=sharer, record=registry.health, body=registry.xixiu_commission, reason="会商")
    [entry] = entries_after(start)
    assert (entry.action, entry.model) == ("share", "access.share")
    assert entry.changes["body"] == [None, {"id": registry.xixiu_commission.pk, "repr": "西秀区纪委监委"}]
