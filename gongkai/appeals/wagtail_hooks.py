from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from gongkai.applications.permissions import applications_visible_to
from gongkai.orgs.wagtail_hooks import OrganisationScopedViewSet

from .models import Appeal
from .services import appeal_period_check, policy


class AppealForm(WagtailAdminModelForm):
    """Only cases the user may see can be chosen; the agency follows from the case."""

    PERIOD_FIELDS = ("application", "kind", "filed_on", "result", "decided_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        visible = applications_visible_to(self.for_user)
        if "application" in self.fields:
            self.fields["application"].queryset = visible
        if "follows" in self.fields:
            self.fields["follows"].queryset = Appeal.objects.filter(
                kind=Appeal.Kind.RECONSIDERATION, application__in=visible
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("application") is None:
            return cleaned
        after = Appeal(**{name: cleaned.get(name) for name in self.PERIOD_FIELDS})
        try:  # a locked report period (issue #8): the error stays next to what was typed
            appeal_period_check(before=self.instance if self.instance.pk else None, after=after)
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class AppealViewSet(OrganisationScopedViewSet):
    model = Appeal
    icon = "warning"
    menu_label = _("行政复议、行政诉讼")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["application", "kind", "filed_on", "authority", "result", "decided_on"]
    list_filter = ["kind", "result"]
    edit_handler = ObjectList(
        [
            FieldPanel("application"),
            MultiFieldPanel(
                [
                    FieldPanel("kind"),
                    FieldPanel("filed_on"),
                    FieldPanel("authority"),
                    FieldPanel("reference"),
                    FieldPanel("follows"),
                ],
                heading=_("案件"),
            ),
            MultiFieldPanel([FieldPanel("result"), FieldPanel("decided_on")], heading=_("结果")),
            FieldPanel("notes"),
        ],
        base_form_class=AppealForm,
    )


register_permission_policy(Appeal, policy)
register_snippet(AppealViewSet)
