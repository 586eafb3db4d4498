from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cemsdi_portal.core import audit
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
    list_display = ["code", "name", "time_zone", "language", "chief_executive_title", "mayor_title"]
    search_fields = ["code", "name"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country"]
    list_filter = ["country"]
    search_fields = ["code", "name"]


@admin.register(PeerGroup)
class PeerGroupAdmin(AuditedAdmin, admin.ModelAdmin):
    """A peer group and its members. A municipality joins a group on its own page (the
    "peer group" field) or through the municipalities list's action; in Norway the KOSTRA
    groups can also come from SSB's KLASS."""

    list_display = ["code", "name", "country", "member_count"]
    list_filter = ["country"]
    search_fields = ["code", "name"]
    readonly_fields = ["members"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_members=Count("municipalities"))

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, obj):
        return obj._members

    @admin.display(description=_("members"))
    def members(self, obj):
        if obj.pk is None:
            return "–"
        members = obj.municipalities.order_by("name")
        if not members:
            return _("No municipality is in this group yet: set the group on a municipality.")
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:networks_municipality_change", args=[m.pk]), str(m)) for m in members),
        )


class PeerGroupChoiceForm(ActionForm):
    peer_group = forms.ModelChoiceField(
        PeerGroup.objects.select_related("country"),
        required=False,
        label=_("Peer group"),
        help_text=_("Empty: no group."),
    )


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "region", "population", "area_km2", "lau_code", "peer_group"]
    list_filter = ["country", "region", "peer_group"]
    list_select_related = ["region", "peer_group"]
    search_fields = ["code", "name", "lau_code"]
    autocomplete_fields = ["region", "peer_group"]
    action_form = PeerGroupChoiceForm
    actions = ["set_peer_group"]

    @admin.action(description=_("Put the chosen municipalities in the peer group above"))
    def set_peer_group(self, request, queryset):
        group = PeerGroup.objects.filter(pk=request.POST.get("peer_group") or None).first()
        # One by one: each save is checked (the group's country) and signals its change.
        changed = 0
        for municipality in queryset.select_related("country"):
            if group is not None and group.country_id != municipality.country_id:
                self.message_user(
                    request,
                    _("%(municipality)s lies in another country than %(group)s: left as it was.")
                    % {"municipality": municipality, "group": group},
                    level=messages.ERROR,
                )
                continue
            if municipality.peer_group_id != (group.pk if group else None):
                before = audit.snapshot(municipality)
                municipality.peer_group = group
                municipality.save(update_fields=["peer_group"])
                audit.log_change(municipality, before=before, fields=["peer_group_id"])
                changed += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d municipality changed its peer group.",
                "%(count)d municipalities changed their peer group.",
                changed,
            )
            % {"count": changed},
        )


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
