"""What each role may do with the working-day calendar (merged by gongkai.orgs.services).

Everyone who works in the admin may look at the calendar. Only the 公开办管理员 may add or
correct a year, and `permissions.CalendarPermissionPolicy` narrows that further to
administrators of a root organisation: the schedule is national, one office keeps it for the
whole installation. Nobody deletes a year (there is no delete permission to grant).
"""

from gongkai.orgs.models import Role

VIEW = "workdays.view_workdaycalendaryear"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: [
        "workdays.add_workdaycalendaryear",
        "workdays.change_workdaycalendaryear",
        VIEW,
    ],
    Role.EDITOR: [VIEW],
    Role.REVIEWER: [VIEW],
    Role.APPROVER: [VIEW],
    Role.CASE_OFFICER: [VIEW],
    Role.LEADING_GROUP: [VIEW],
}
