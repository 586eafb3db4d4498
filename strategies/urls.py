from django.urls import path

from .views import dla, plan, sections, strategy

urlpatterns = [
    path("networks/<int:pk>/strategies/", strategy.network_strategies, name="network_strategies"),
    path(
        "networks/<int:pk>/strategies/start/<int:municipality_pk>/",
        strategy.strategy_start,
        name="strategy_start",
    ),
    path("strategies/<int:pk>/", strategy.strategy_detail, name="strategy_detail"),
    path("strategies/<int:pk>/edit/", strategy.strategy_edit, name="strategy_edit"),
    path("strategies/<int:pk>/status/", strategy.strategy_status, name="strategy_status"),
    path("strategies/<int:pk>/sections/add/", strategy.section_add, name="section_add"),
    path("sections/<int:pk>/edit/", sections.section_edit, name="section_edit"),
    path("sections/<int:pk>/presence/", sections.section_presence, name="section_presence"),
    path("sections/<int:pk>/preview/", sections.section_preview, name="section_preview"),
    path("sections/<int:pk>/history/", sections.section_history, name="section_history"),
    path(
        "sections/<int:pk>/restore/<int:version>/",
        sections.section_restore,
        name="section_restore",
    ),
    path("sections/<int:pk>/comment/", sections.section_comment, name="section_comment"),
    path("comments/<int:pk>/reply/", sections.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/resolve/", sections.comment_resolve, name="comment_resolve"),
    path("sections/<int:pk>/delete/", sections.section_delete, name="section_delete"),
    path("strategies/<int:pk>/plan/", plan.action_plan, name="action_plan"),
    path(
        "strategies/<int:pk>/plan/timeline/", plan.action_plan_timeline, name="action_plan_timeline"
    ),
    path(
        "strategies/<int:pk>/plan/export/<str:fmt>/",
        plan.action_plan_export,
        name="action_plan_export",
    ),
    path("strategies/<int:pk>/plan/add/", plan.measure_create, name="measure_create"),
    path("measures/<int:pk>/edit/", plan.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/delete/", plan.measure_delete, name="measure_delete"),
    path("dla/", dla.dla_priorities, name="dla_priorities"),
]
