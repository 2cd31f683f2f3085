from __future__ import annotations

from django.contrib import admin

from programs.models import Exercise, ProgramLine, ProgramTemplate


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "implement", "measure", "laterality", "easier", "harder", "owner")
    list_filter = ("implement", "measure", "laterality", ("owner", admin.EmptyFieldListFilter))
    search_fields = ("name", "slug")
    list_select_related = ("easier", "harder", "owner")
    autocomplete_fields = ("easier", "harder")
    raw_id_fields = ("owner",)


class ProgramLineInline(admin.TabularInline):
    model = ProgramLine
    extra = 0
    autocomplete_fields = ("exercise",)


@admin.register(ProgramTemplate)
class ProgramTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "updated_at")
    search_fields = ("name", "owner__email")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    inlines = [ProgramLineInline]
