from django.contrib import admin

from .models import AccessToken


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """Personal access tokens of every account: who has which, when last used; deleting one
    revokes it. Tokens are made by their owners on their profile only (the text is never
    stored, so nobody else could hand it over)."""

    list_display = ["name", "user", "hint", "created", "last_used"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username"]
    readonly_fields = ["user", "name", "hint", "created", "last_used"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
