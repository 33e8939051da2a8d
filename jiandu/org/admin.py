from django.contrib import admin

from jiandu.org.models import Body, Department, Person, Post, Region, Skill


class ScopedAdmin(admin.ModelAdmin):
    """Admin lists go through the same scoping as every other page."""

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "level", "functional_zone")
    list_filter = ("kind", "level")
    search_fields = ("code", "name")
    raw_id_fields = ("parent", "functional_zone")


@admin.register(Body)
class BodyAdmin(ScopedAdmin):
    list_display = ("name", "kind", "level", "region", "establishment", "is_active")
    list_filter = ("kind", "level", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("region", "parent")
    filter_horizontal = ("supervised_departments",)


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ("name", "short_name", "region", "sector")
    search_fields = ("name", "short_name")
    raw_id_fields = ("region",)


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    raw_id_fields = ("body", "region")


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ("name", "gender", "birth_year", "education")
    list_filter = ("education", "gender")
    search_fields = ("name",)
    inlines = [PostInline]


admin.site.register(Skill)
