from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_catalogue_log_actions(actions):
    actions.register_action("gongkai.withdraw", _("撤回"), _("撤回"))
