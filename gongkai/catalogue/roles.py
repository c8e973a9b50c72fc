"""What each role may do with the catalogue. The organisation tree says where (orgs.permissions).

Nobody has a delete permission: items are withdrawn (撤回), categories deactivated. Nobody has
the publish permission either: an item reaches the public only through the confidentiality
review (条例第十四至十六条); the review workflow grants publishing when it is built.
"""

from gongkai.orgs.models import Role

ITEM_VIEW = "catalogue.view_disclosureitem"
ITEM_EDIT = [
    "catalogue.add_disclosureitem",
    "catalogue.change_disclosureitem",
    ITEM_VIEW,
    "catalogue.lock_disclosureitem",
]
CATEGORY_ADMIN = [
    "catalogue.add_category",
    "catalogue.change_category",
    "catalogue.view_category",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: [*ITEM_EDIT, "catalogue.unlock_disclosureitem", *CATEGORY_ADMIN],
    Role.EDITOR: list(ITEM_EDIT),
    Role.REVIEWER: [ITEM_VIEW],
    Role.APPROVER: [ITEM_VIEW],
    Role.LEADING_GROUP: [ITEM_VIEW],
    # Case officers answer requests for information that may already be public (条例第三十六条第一项).
    Role.CASE_OFFICER: [ITEM_VIEW],
}
