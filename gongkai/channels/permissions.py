"""Who may act on channel records, following the organisation tree.

A channel belongs to an organisation; its deliveries, issues, broadcasts, posts and printed
notices belong to it through the channel. A delivery is also visible to whoever may see the
item it carries (a village editor sees where his item went).
"""

from django.db.models import Q

from gongkai.orgs.permissions import OrganisationScopedPolicy

from .models import (
    Broadcast,
    Channel,
    Delivery,
    Issue,
    NewsRelease,
    NoticePrint,
    OutsideArticle,
    Post,
    PressConference,
)


class ChannelScopedPolicy(OrganisationScopedPolicy):
    """Like OrganisationScopedPolicy, with the owner reached through one or more relations."""

    def __init__(self, model, owner_paths: tuple[str, ...]):
        super().__init__(model, owner_field=owner_paths[0])
        self.owner_paths = owner_paths

    def org_ids_for(self, user, actions) -> set[int] | None:
        """Organisation ids where the user may do one of `actions`; None means everywhere."""
        return self._org_ids(user, actions)

    def _owner_ids(self, instance) -> set[int]:
        ids = set()
        for path in self.owner_paths:
            obj = instance
            parts = path.split("__")
            for part in parts[:-1]:
                obj = getattr(obj, part)
            ids.add(getattr(obj, f"{parts[-1]}_id"))
        return ids

    def user_has_any_permission_for_instance(self, user, actions, instance):
        ids = self._org_ids(user, actions)
        return ids is None or bool(self._owner_ids(instance) & ids)

    def instances_user_has_any_permission_for(self, user, actions):
        ids = self._org_ids(user, actions)
        qs = self.model._default_manager.all()
        if ids is None:
            return qs
        condition = Q()
        for path in self.owner_paths:
            condition |= Q(**{f"{path}__in": ids})
        return qs.filter(condition)


channel_policy = ChannelScopedPolicy(Channel, ("organisation",))
delivery_policy = ChannelScopedPolicy(Delivery, ("channel__organisation", "item__organisation"))
issue_policy = ChannelScopedPolicy(Issue, ("channel__organisation",))
broadcast_policy = ChannelScopedPolicy(Broadcast, ("channel__organisation",))
post_policy = ChannelScopedPolicy(Post, ("channel__organisation",))
notice_print_policy = ChannelScopedPolicy(NoticePrint, ("channel__organisation",))
press_conference_policy = ChannelScopedPolicy(PressConference, ("organisation",))
news_release_policy = ChannelScopedPolicy(NewsRelease, ("organisation",))
outside_article_policy = ChannelScopedPolicy(OutsideArticle, ("organisation",))

POLICIES = {
    Channel: channel_policy,
    Delivery: delivery_policy,
    Issue: issue_policy,
    Broadcast: broadcast_policy,
    Post: post_policy,
    NoticePrint: notice_print_policy,
    PressConference: press_conference_policy,
    NewsRelease: news_release_policy,
    OutsideArticle: outside_article_policy,
}


def user_may(user, policy: ChannelScopedPolicy, action: str, *organisation_ids: int) -> bool:
    """May `user` do `action` (a Django permission action) on every one of these organisations?"""
    if user is None:
        return False
    ids = policy.org_ids_for(user, [action])
    return ids is None or all(org_id in ids for org_id in organisation_ids)
