"""A Wagtail permission policy scoped by the organisation tree.

A role held in an organisation applies to that organisation and everything below it. The
Django permission says *what* a role may do; the tree says *where*.
"""

from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy

from .selectors import organisation_subtree_ids, user_active_roles
from .services import role_permissions


class OrganisationScopedPolicy(ModelPermissionPolicy):
    def __init__(self, model, owner_field: str = "organisation"):
        super().__init__(model)
        self.owner_field = owner_field

    def _perm(self, action: str) -> str:
        return f"{self.app_label}.{self._get_permission_codename(action)}"

    def _org_ids(self, user, actions) -> set[int] | None:
        """Organisation ids the user may act on; None means everywhere (superuser)."""
        if not user.is_active:
            return set()
        if user.is_superuser:
            return None
        perms = frozenset(self._perm(a) for a in actions)
        # A list page asks once per row; the tree is read once per request (the user object
        # lives for one request, like the role cache in selectors.user_active_roles).
        scopes = user.__dict__.setdefault("_gongkai_scope_cache", {})
        if perms not in scopes:
            mapping = role_permissions()
            roots = [
                org_id
                for role, org_id in user_active_roles(user=user)
                if perms & set(mapping.get(role, []))
            ]
            scopes[perms] = organisation_subtree_ids(organisations=roots)
        return scopes[perms]

    def user_has_permission(self, user, action):
        ids = self._org_ids(user, [action])
        return ids is None or bool(ids)

    def user_has_any_permission(self, user, actions):
        ids = self._org_ids(user, actions)
        return ids is None or bool(ids)

    def _owner_id(self, instance):
        if self.owner_field in ("id", "pk"):
            return instance.pk
        return getattr(instance, f"{self.owner_field}_id")

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        ids = self._org_ids(user, actions)
        return ids is None or self._owner_id(instance) in ids

    def instances_user_has_any_permission_for(self, user, actions):
        ids = self._org_ids(user, actions)
        qs = self.model._default_manager.all()
        if ids is None:
            return qs
        return qs.filter(Q(**{f"{self.owner_field}__in": ids}))
