from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from stagebrug.accounts import second_factor
from stagebrug.accounts.models import ApiToken, Invitation, Membership, User


@admin.action(description="Reset two-step verification (lost phone and recovery codes)")
def reset_second_factor(modeladmin, request, queryset) -> None:
    """After the person's identity was checked outside Stagebrug: their app and recovery codes
    are removed (logged); staff set up a new app at their next login."""
    for user in queryset:
        second_factor.reset(user=user, by=request.user)
    modeladmin.message_user(request, f"Two-step verification reset for {queryset.count()}.")


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["company", "institution", "programme"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    inlines = [MembershipInline]
    actions = [reset_second_factor]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        ("Rights", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "company", "institution", "programme"]
    list_filter = ["role"]
    search_fields = ["user__email", "company__name", "institution__name"]
    autocomplete_fields = ["user", "company", "institution", "programme"]
    list_select_related = ["user", "company", "institution", "programme__institution"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "company", "institution", "created_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    exclude = ["token_hash"]
    readonly_fields = ["invited_by", "accepted_by", "accepted_at"]
    list_select_related = ["company", "institution"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "user"]
    list_select_related = ["user"]
