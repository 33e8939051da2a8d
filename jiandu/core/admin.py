from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from jiandu.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the trail is appended by the application alone."""

    list_display = ("seq", "at", "actor_username", "body_name", "action", "model", "object_repr", "ip")
    list_filter = ("action", "model")
    search_fields = ("actor_username", "body_name", "object_repr", "object_id")
    date_hierarchy = None
    show_full_result_count = False
    actions = None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
