"""What each role may do, as Django permissions. Wagtail groups are derived from this.

Each app that adds models declares its own `ROLE_PERMISSIONS` in `<app>/roles.py`; the orgs
app gathers them. Groups are then synchronised from code after every migrate and are never
edited by hand (the Groups menu is hidden).
"""

from .models import Role

ALL_ROLES = [r.value for r in Role]
STAFF_ACCESS = "wagtailadmin.access_admin"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: [
        STAFF_ACCESS,
        "orgs.add_organisation",
        "orgs.change_organisation",
        "orgs.view_organisation",
        "orgs.add_roleassignment",
        "orgs.change_roleassignment",
        "orgs.view_roleassignment",
        "orgs.add_roster",
        "orgs.change_roster",
        "orgs.view_roster",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
    ],
    Role.EDITOR: [STAFF_ACCESS, "orgs.view_organisation", "orgs.view_roster"],
    Role.REVIEWER: [STAFF_ACCESS, "orgs.view_organisation", "orgs.view_roster"],
    Role.APPROVER: [STAFF_ACCESS, "orgs.view_organisation", "orgs.view_roster"],
    Role.CASE_OFFICER: [STAFF_ACCESS, "orgs.view_organisation"],
    Role.LEADING_GROUP: [
        STAFF_ACCESS,
        "orgs.view_organisation",
        "orgs.view_roster",
        "orgs.view_roleassignment",
    ],
}
