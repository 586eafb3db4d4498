from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cemsdi_portal.core"
    label = "core"
