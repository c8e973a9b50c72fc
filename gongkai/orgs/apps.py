from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "gongkai.orgs"
    label = "orgs"
    verbose_name = _("组织与角色")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import services

        post_migrate.connect(
            services.role_groups_sync_after_migrate, dispatch_uid="orgs_role_groups_sync"
        )
