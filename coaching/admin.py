from __future__ import annotations

from typing import Any

from django.contrib import admin

from coaching.models import (
    Assignment,
    ChangeCounter,
    Client,
    Coach,
    LoggedSession,
    LoggedSet,
    PrescriptionLine,
    PrescriptionVersion,
    ReviewItem,
    WeeklyReview,
)


@admin.register(Coach)
class CoachAdmin(admin.ModelAdmin):
    list_display = ("__str__", "time_zone", "review_weekday", "review_time", "created_at")
    search_fields = ("user__email", "user__name")
    list_filter = ("time_zone", "review_weekday")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(ChangeCounter)
class ChangeCounterAdmin(admin.ModelAdmin):
    list_display = ("coach", "value")
    list_select_related = ("coach__user",)
    readonly_fields = ("coach", "value")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("start_date", "sessions_per_week", "unit", "deload_every_weeks", "load_increment_pct", "is_active")
    show_change_link = True


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "coach", "is_active", "user", "created_at")
    list_filter = ("is_active", "coach")
    search_fields = ("name", "email", "coach__user__email")
    list_select_related = ("coach__user", "user")
    raw_id_fields = ("coach", "user")
    readonly_fields = ("invite_token", "invite_expires_at")
    inlines = [AssignmentInline]


class PrescriptionLineInline(admin.TabularInline):
    model = PrescriptionLine
    extra = 0
    autocomplete_fields = ("exercise",)
    exclude = ("pre_deload",)


@admin.register(PrescriptionVersion)
class PrescriptionVersionAdmin(admin.ModelAdmin):
    list_display = ("assignment", "effective_from", "source", "changed_by", "created_at")
    list_filter = ("source",)
    search_fields = ("assignment__client__name", "reason")
    list_select_related = ("assignment__client", "changed_by")
    raw_id_fields = ("assignment", "changed_by", "review")
    inlines = [PrescriptionLineInline]


class PrescriptionVersionInline(admin.TabularInline):
    model = PrescriptionVersion
    extra = 0
    fields = ("effective_from", "source", "reason", "changed_by")
    readonly_fields = fields
    show_change_link = True


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("client", "start_date", "sessions_per_week", "unit", "deload_every_weeks", "is_active")
    list_filter = ("is_active", "unit")
    search_fields = ("client__name", "client__email")
    list_select_related = ("client",)
    raw_id_fields = ("client", "program")
    inlines = [PrescriptionVersionInline]


class LoggedSetInline(admin.TabularInline):
    model = LoggedSet
    extra = 0
    autocomplete_fields = ("exercise",)


@admin.register(LoggedSession)
class LoggedSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "client", "performed_at", "client_modified_at", "deleted_at", "change_seq")
    list_filter = (("deleted_at", admin.EmptyFieldListFilter), "performed_at")
    search_fields = ("id", "client__name", "notes")
    date_hierarchy = "performed_at"
    list_select_related = ("client",)
    raw_id_fields = ("client", "assignment")
    readonly_fields = ("coach", "change_seq", "body_hash")
    inlines = [LoggedSetInline]

    def save_model(self, request: Any, obj: LoggedSession, form: Any, change: bool) -> None:
        obj.coach_id = obj.client.coach_id  # the coach on the row is always the client's
        super().save_model(request, obj, form, change)


class ReviewItemInline(admin.StackedInline):
    model = ReviewItem
    extra = 0
    autocomplete_fields = ("exercise",)


@admin.register(WeeklyReview)
class WeeklyReviewAdmin(admin.ModelAdmin):
    list_display = ("assignment", "week_start", "status", "decided_by", "decided_at")
    list_filter = ("status", "week_start")
    search_fields = ("assignment__client__name",)
    list_select_related = ("assignment__client", "decided_by")
    raw_id_fields = ("assignment", "decided_by")
    inlines = [ReviewItemInline]
