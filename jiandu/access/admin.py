from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jiandu.access.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "body", "is_staff", "is_active")
    raw_id_fields = ("body", "person")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Jiandu", {"fields": ("body", "person", "must_change_password")}))
