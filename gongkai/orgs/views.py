from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import Organisation, Role
from .selectors import roster_filing_status, user_active_roles


def roster_status(request):
    """The town office sees which organisations below it have filed their roster (备案)."""
    if request.user.is_superuser:
        roots = Organisation.objects.filter(parent__isnull=True)
    else:
        root_ids = {
            org_id
            for role, org_id in user_active_roles(user=request.user)
            if role in (Role.ADMIN, Role.LEADING_GROUP)
        }
        if not root_ids:
            raise PermissionDenied
        roots = Organisation.objects.filter(id__in=root_ids)
    sections = []
    for root in roots:
        rows = roster_filing_status(parent=root)
        sections.append(
            {
                "root": root,
                "rows": rows,
                "missing": [r for r in rows if not r["filed"]],
            }
        )
    return render(
        request,
        "orgs/roster_status.html",
        {"sections": sections, "page_title": _("领导小组名单备案情况")},
    )
