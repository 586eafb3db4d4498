from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from cemsdi_portal.core.admin import AuditedAdmin, AuditedInlines

from .models import (
    Country,
    Invitation,
    MembershipInvitation,
    Municipality,
    MunicipalityCode,
    Network,
    NetworkMembership,
    PeerGroup,
    Programme,
    ProgrammeObjective,
    Region,
    Role,
    User,
)


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["network", "municipality", "programme"]


@admin.register(User)
class UserAdmin(AuditedInlines, DjangoUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active"]
    # The person's own language (pages and e-mail), beside their name.
    fieldsets = [
        (name, {**options, "fields": [*options["fields"], "language"]})
        if "first_name" in options["fields"]
        else (name, options)
        for name, options in DjangoUserAdmin.fieldsets
    ]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country"]
    list_filter = ["country"]
    search_fields = ["code", "name"]


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country"]
    list_filter = ["country"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "population", "peer_group"]
    list_filter = ["country", "region"]
    list_select_related = ["region", "peer_group"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["region", "peer_group"]


class ObjectiveInline(admin.TabularInline):
    model = ProgrammeObjective
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["acronym", "full_title", "start_date", "end_date"]
    search_fields = ["acronym", "full_title", "grant_agreement_number"]
    inlines = [ObjectiveInline]


@admin.register(ProgrammeObjective)
class ProgrammeObjectiveAdmin(admin.ModelAdmin):
    list_display = ["programme", "position", "text"]
    list_filter = ["programme"]


class MembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(Network)
class NetworkAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = [
        "name",
        "programme",
        "region",
        "state",
        "planned_start",
        "planned_end",
        "dla_status",
    ]
    list_filter = ["programme", "state", "dla_status"]
    list_select_related = ["programme", "region"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["network", "municipality", "joined_at"]
    list_filter = ["network"]
    list_select_related = ["network", "municipality"]
    autocomplete_fields = ["network", "municipality"]


@admin.register(Role)
class RoleAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["user", "kind", "network", "municipality", "programme", "title"]
    list_filter = ["kind"]
    list_select_related = ["user", "network", "municipality", "programme"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    autocomplete_fields = ["user", "network", "municipality", "granted_in", "programme"]


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = [
        "email",
        "kind",
        "municipality",
        "network",
        "state",
        "invited_by",
        "sent_at",
        "expires_at",
    ]
    list_filter = ["state", "kind"]
    list_select_related = ["municipality", "network", "invited_by"]
    search_fields = ["email", "last_name"]
    raw_id_fields = ["role", "invited_by", "municipality"]
    autocomplete_fields = ["network"]
    exclude = ["token_hash"]


@admin.register(MembershipInvitation)
class MembershipInvitationAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["municipality", "network", "state", "invited_by", "created_at", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["municipality", "network", "invited_by"]
    raw_id_fields = ["invited_by", "decided_by"]
    autocomplete_fields = ["network", "municipality"]


@admin.register(MunicipalityCode)
class MunicipalityCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "municipality", "first_year", "last_year"]
    list_select_related = ["municipality"]
    search_fields = ["code", "municipality__name"]
    raw_id_fields = ["municipality"]
