"""What each role may do with annual reports (gathered by gongkai.orgs.services.role_permissions).

公开办管理员 composes, checks, exports, locks and enters the work records; 领导小组成员 and
审批领导 read. Where they may do it is the organisation tree (selectors.user_report_organisation_ids).
"""

from gongkai.orgs.models import Role

WORK_RECORDS = ["jointmeeting", "trainingsession", "officerule"]

ROLE_PERMISSIONS = {
    Role.ADMIN: [
        "reports.add_annualreport",
        "reports.change_annualreport",
        "reports.view_annualreport",
        "reports.compose_annualreport",
        "reports.lock_reportperiod",
        "reports.view_reportperiodlock",
        "reports.add_stafffigure",
        "reports.view_stafffigure",
        "reports.view_reportreminder",
        *[
            f"reports.{action}_{model}"
            for model in WORK_RECORDS
            for action in ("add", "change", "view")
        ],
    ],
    Role.LEADING_GROUP: [
        "reports.view_annualreport",
        "reports.view_reportperiodlock",
        "reports.view_stafffigure",
        *[f"reports.view_{model}" for model in WORK_RECORDS],
    ],
    Role.APPROVER: [
        "reports.view_annualreport",
        "reports.view_reportperiodlock",
        "reports.view_stafffigure",
    ],
}
