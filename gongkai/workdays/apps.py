from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "gongkai.workdays"
    label = "workdays"
    verbose_name = _("工作日历")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import services
        from .models import SpecialDay, WorkdayCalendarYear

        # Whatever path a schedule is saved through (admin, file, shell), the cached tables of
        # this process must go; other processes notice within GONGKAI_WORKDAYS_CACHE_SECONDS.
        for model in (WorkdayCalendarYear, SpecialDay):
            for signal in (post_save, post_delete):
                signal.connect(
                    services.calendar_cache_clear_on_change,
                    sender=model,
                    dispatch_uid=f"workdays_cache_{signal is post_save}_{model.__name__}",
                )
