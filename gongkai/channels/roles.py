"""What each role may do with channels (gathered by gongkai.orgs.services.role_permissions).

The channel's owner decides what goes on it: dispatching needs `add_delivery` both where the
item belongs and where the channel belongs (see services.dispatch_create).
"""

from gongkai.orgs.models import Role


def _perms(actions: str, *models: str) -> list[str]:
    return [f"channels.{action}_{model}" for model in models for action in actions.split()]


_RECORDS = ("issue", "broadcast", "post", "noticeprint")
_PRESS = ("pressconference", "newsrelease", "outsidearticle")
_EVERYTHING = ("channel", "delivery", *_RECORDS, *_PRESS)

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: [
        *_perms("add change view", "channel"),
        *_perms("add change view", "delivery"),
        *_perms("add change view", *_RECORDS),
        *_perms("add change view", *_PRESS),
    ],
    Role.EDITOR: [
        *_perms("view", "channel"),
        *_perms("add change view", "delivery"),
        *_perms("add change view", *_RECORDS),
        *_perms("add change view", *_PRESS),
    ],
    Role.REVIEWER: _perms("view", "channel", "delivery"),
    Role.APPROVER: _perms("view", "channel", "delivery", *_RECORDS),
    Role.LEADING_GROUP: _perms("view", *_EVERYTHING),
}
