"""Staff pages of the catalogue that Wagtail's generic views do not provide: withdrawal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.permissions import policy_registry

from .forms import WithdrawForm
from .models import DisclosureItem
from .services import item_withdraw


def user_can_withdraw(user, item: DisclosureItem) -> bool:
    policy = policy_registry.get_by_type(DisclosureItem)
    return policy.user_has_permission_for_instance(user, "change", item)


def item_withdraw_view(request, pk):
    """撤回: ask for the reason, then services.item_withdraw (which logs gongkai.withdraw)."""
    item = get_object_or_404(DisclosureItem.objects.select_related("organisation"), pk=pk)
    if not user_can_withdraw(request.user, item):
        raise PermissionDenied
    edit_url = reverse("wagtailsnippets_catalogue_disclosureitem:edit", args=[item.pk])
    if item.is_withdrawn:
        messages.warning(request, _("该信息已于 %(when)s 撤回。") % {"when": item.withdrawn_at})
        return redirect(edit_url)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item_withdraw(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error("reason", exc.message_dict.get("withdrawn_reason", exc.messages))
        else:
            messages.success(
                request,
                _("“%(title)s”已撤回，已从所有公开渠道下线。") % {"title": item.title},
            )
            return redirect(edit_url)
    return TemplateResponse(
        request,
        "catalogue/admin/withdraw.html",
        {
            "item": item,
            "form": form,
            "edit_url": edit_url,
            "page_title": _("撤回政府信息"),
        },
    )
