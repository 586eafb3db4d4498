"""The erasure, reachable from the people's list in the administration."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from networks.admin import UserAdmin

User = get_user_model()


@admin.action(description=_("Erase the personal data of the selected person…"))
def erase_person(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(
            request, _("Choose one person at a time to erase."), level=messages.WARNING
        )
        return None
    return redirect("person_erase", queryset.get().pk)


class PrivacyUserAdmin(UserAdmin):
    """networks' people admin, with the erasure among its actions."""

    actions = [*(UserAdmin.actions or []), erase_person]


admin.site.unregister(User)
admin.site.register(User, PrivacyUserAdmin)
