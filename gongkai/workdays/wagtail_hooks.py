from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from .forms import WorkdayCalendarYearForm
from .models import SpecialDay, WorkdayCalendarYear
from .permissions import CalendarPermissionPolicy, user_is_root_admin
from .selectors import calendar_coverage
from .services import CalendarYearCreateAction, CalendarYearEditAction


class CalendarIndexView(IndexView):
    """The list of entered years, under a table of which source governs every year."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["coverage"] = calendar_coverage()
        context["can_enter"] = user.is_superuser or user_is_root_admin(user=user)
        return context


class WorkdayCalendarYearViewSet(SnippetViewSet):
    model = WorkdayCalendarYear
    icon = "date"
    menu_label = _("工作日历")
    menu_name = "workdays"
    menu_order = 950
    add_to_admin_menu = True
    copy_view_enabled = False  # a year exists once; a copy could only collide with it
    index_view_class = CalendarIndexView
    index_template_name = "workdays/calendar_index.html"
    list_display = ["__str__", "status", "source", "notice_number", "updated_at", "updated_by"]
    list_filter = ["status"]
    ordering = ["-year"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("year"),
                    FieldPanel("status"),
                ],
                heading=_("年度"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("notice_number"),
                    FieldPanel("notice_title"),
                    FieldPanel("published_on"),
                    FieldPanel("notes"),
                ],
                heading=_("依据的通知"),
            ),
            InlinePanel(
                "special_days",
                heading=_("放假日期和调休上班日期"),
                label=_("日期"),
                help_text=_(
                    "逐日录入：每个放假日（含假期中的周六、周日）录入为“放假”，每个调休上班的"
                    "周六、周日录入为“调休上班”。普通周末不用录入。"
                ),
            ),
        ],
        base_form_class=WorkdayCalendarYearForm,
    )


register_permission_policy(WorkdayCalendarYear, CalendarPermissionPolicy(WorkdayCalendarYear))
register_snippet(WorkdayCalendarYearViewSet)


@hooks.register("register_actions")
def register_calendar_actions(registry):
    registry.register(WorkdayCalendarYear, CalendarYearCreateAction)
    registry.register(WorkdayCalendarYear, CalendarYearEditAction)


@hooks.register("before_delete_snippet")
def refuse_to_delete_a_schedule(request, instances):
    # Nothing is deleted, not even by a superuser: a wrong schedule is corrected by editing it,
    # and the revision history keeps what it said before.
    instances = instances if isinstance(instances, list) else [instances]
    if any(isinstance(obj, WorkdayCalendarYear | SpecialDay) for obj in instances):
        raise PermissionDenied
