"""Writes to the organisation registry. Views, admin, imports and commands all go through these."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jiandu.org.models import Body, Department, Person, Post, PostKind, Skill


def _apply(instance: Any, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def body_update(
    *,
    acting_user: Any,
    body: Body,
    fields: dict[str, Any],
    supervised_departments: list[Department] | None = None,
) -> Body:
    """Change a body's name, establishment, parent or state; only the changed columns are written."""
    changed = _apply(body, fields)
    body.full_clean()
    if changed:
        body.save(update_fields=[*changed, "updated_at"])
    if supervised_departments is not None:
        body.supervised_departments.set(supervised_departments)
    return body


@transaction.atomic
def department_save(*, acting_user: Any, department: Department | None, fields: dict[str, Any]) -> Department:
    """Create a department (when `department` is None) or change one."""
    if department is None:
        department = Department(**fields)
        department.full_clean()
        department.save()
        return department
    changed = _apply(department, fields)
    department.full_clean()
    if changed:
        department.save(update_fields=[*changed, "updated_at"])
    return department


@transaction.atomic
def person_save(
    *, acting_user: Any, person: Person | None, fields: dict[str, Any], skills: list[Skill] | None = None
) -> Person:
    """Create a person (when `person` is None) or change one, with their skills."""
    if person is None:
        person = Person(**fields)
        person.full_clean()
        person.save()
    else:
        changed = _apply(person, fields)
        person.full_clean()
        if changed:
            person.save(update_fields=[*changed, "updated_at"])
    if skills is not None:
        person.skills.set(skills)
    return person


@transaction.atomic
def post_create(*, acting_user: Any, person: Person, body: Body, kind: str, title: str = "") -> Post:
    """Give a person a post in a body; the post carries the body's region so scope is one filter."""
    post = Post(person=person, body=body, region_id=body.region_id, kind=PostKind(kind), title=title)
    post.full_clean()
    post.save()
    return post
