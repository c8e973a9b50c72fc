"""Demo hook: the Liaobu demo's cases fall in 2012 and in the current year.

Both must have a holiday schedule or their deadlines cannot be computed. The schedules are not
copied into the database: chinesecalendar (or, failing that, the shipped data files) covers
them, and this only checks that and says where each year comes from.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from .calendar import schedule_origin
from .models import ScheduleOrigin

DEMO_YEARS = (2012,)


def load_demo(*, orgs, users, stdout) -> None:
    for year in sorted({*DEMO_YEARS, timezone.localdate().year}):
        origin = schedule_origin(year)  # ScheduleMissing, with its Chinese message, if none
        stdout.write(
            _("    %(year)s年节假日安排：%(origin)s")
            % {"year": year, "origin": ScheduleOrigin(origin).label}
        )
