"""What each role may do in the review app (merged into the role groups by gongkai.orgs).

保密审查员 decides: allowed phrases and overrides. 公开办管理员 keeps the word lists and chooses
which review workflow an organisation uses. Everyone who works on items may read the findings
and the 审查记录 about them; only reviewers may let a finding through.

Deciding a workflow step needs no Django permission: the task checks that the person holds
the step's role in the organisation tree (workflow.py). Nobody gets a "publish" permission: an
item is published only when its review workflow finishes (WAGTAIL_FINISH_WORKFLOW_ACTION).
"""

from gongkai.orgs.models import Role

READ_FINDINGS = ["review.view_scanresult", "review.view_finding", "review.view_reviewrecord"]
WORKFLOW_ADMIN = [
    "review.add_organisationworkflow",
    "review.change_organisationworkflow",
    "review.view_organisationworkflow",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.REVIEWER: [
        *READ_FINDINGS,
        "review.override_finding",
        "review.add_allowedphrase",
        "review.change_allowedphrase",
        "review.view_allowedphrase",
        "review.view_sensitiveword",
        "review.view_organisationworkflow",
    ],
    Role.ADMIN: [
        *READ_FINDINGS,
        "review.add_sensitiveword",
        "review.change_sensitiveword",
        "review.view_sensitiveword",
        "review.view_allowedphrase",
        *WORKFLOW_ADMIN,
    ],
    Role.EDITOR: [*READ_FINDINGS],
    Role.APPROVER: [*READ_FINDINGS, "review.view_allowedphrase"],
    Role.LEADING_GROUP: [*READ_FINDINGS, "review.view_allowedphrase"],
}
