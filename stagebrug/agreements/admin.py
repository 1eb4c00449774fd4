from django.contrib import admin

from stagebrug.agreements.models import Agreement, Signature, SigningLink, Version
from stagebrug.core.admin import ReadOnlyAdmin


class VersionInline(admin.TabularInline):
    model = Version
    fields = ["number", "state", "content_hash", "sent_at", "signed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    """Read-only: agreements change through the parties' pages and the API, which keep the
    versions, hashes and signatures right. The content (with the student's notes, if shared)
    is not shown here."""

    list_display = ["internship", "kind", "status", "deadline", "attention_since"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["internship"]
    list_select_related = ["internship__placement", "internship__student"]
    inlines = [VersionInline]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["version", "party", "name", "method", "signed_at"]
    list_filter = ["party", "method"]
    raw_id_fields = ["version", "user"]


@admin.register(SigningLink)
class SigningLinkAdmin(ReadOnlyAdmin):
    list_display = ["version", "party", "email", "expires_at", "used_at", "revoked_at"]
    exclude = ["token_hash"]
    raw_id_fields = ["version", "created_by"]
