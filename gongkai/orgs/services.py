"""Writes for organisations, roles and rosters. Each runs in a transaction and is audited."""

import functools
import importlib
import logging

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from wagtail.log_actions import log

from .models import Organisation, Role, RoleAssignment, Roster

logger = logging.getLogger(__name__)


@functools.cache
def role_permissions() -> dict[str, list[str]]:
    """Gather ROLE_PERMISSIONS from every gongkai app's roles.py.

    Cached: the mapping is code, fixed for the life of the process, and every permission
    check in the admin asks for it. Callers must treat it as read-only.
    """
    merged: dict[str, list[str]] = {role.value: [] for role in Role}
    for app_path in settings.GONGKAI_APPS:
        try:
            module = importlib.import_module(f"{app_path}.roles")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_path}.roles":
                raise
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            for perm in perms:
                if perm not in merged[str(role)]:
                    merged[str(role)].append(perm)
    return merged


def role_group_name(role: str) -> str:
    with translation.override("zh-hans"):
        return str(Role(role).label)


def role_groups_sync() -> None:
    """Make each role's Wagtail group hold exactly the permissions the code grants it."""
    mapping = role_permissions()
    for role, perms in mapping.items():
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is None:
                raise ImproperlyConfigured(f"角色 {role} 引用了不存在的权限 {dotted}")
            wanted.append(perm)
        group.permissions.set(wanted)


def role_groups_sync_after_migrate(sender, app_config=None, **kwargs):
    # post_migrate is sent once per app; permissions of all apps exist only at the last one.
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if app_config is not None and app_config is not with_models[-1]:
        return
    role_groups_sync()


def user_groups_sync(*, user) -> None:
    """A user's groups are exactly the groups of the roles they hold now."""
    roles = set(
        RoleAssignment.objects.filter(user=user, ended_at__isnull=True).values_list(
            "role", flat=True
        )
    )
    groups = [Group.objects.get_or_create(name=role_group_name(role))[0] for role in roles]
    user.groups.set(groups)
    for cached in ("_gongkai_roles", "_gongkai_scope_cache"):
        user.__dict__.pop(cached, None)


def _require_admin(actor, organisation: Organisation | None) -> None:
    if actor is None or actor.is_superuser:
        return
    from .selectors import user_organisation_ids

    allowed = user_organisation_ids(user=actor, roles=[Role.ADMIN])
    if organisation is None or organisation.pk not in allowed:
        raise PermissionDenied("只有该组织的公开办管理员可以执行此操作。")


@transaction.atomic
def organisation_create(
    *, actor=None, parent: Organisation | None = None, **fields
) -> Organisation:
    _require_admin(actor, parent)
    org = Organisation(parent=parent, **fields)
    org.full_clean()
    org.save()
    log(org, "wagtail.create", user=actor)
    return org


@transaction.atomic
def organisation_update(*, actor=None, organisation: Organisation, **fields) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_admin(actor, org)
    for name, value in fields.items():
        setattr(org, name, value)
    org.full_clean()
    org.save(update_fields=list(fields))
    log(org, "wagtail.edit", user=actor)
    return org


@transaction.atomic
def role_grant(*, actor=None, user, organisation: Organisation, role: str) -> RoleAssignment:
    _require_admin(actor, organisation)
    assignment = RoleAssignment(user=user, organisation=organisation, role=role, granted_by=actor)
    assignment.full_clean()
    assignment.save()
    log(assignment, "wagtail.create", user=actor)
    user_groups_sync(user=user)
    return assignment


@transaction.atomic
def role_end(*, actor=None, assignment: RoleAssignment) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    _require_admin(actor, assignment.organisation)
    if assignment.ended_at is None:
        assignment.ended_at = timezone.now()
        assignment.ended_by = actor
        assignment.save(update_fields=["ended_at", "ended_by"])
        log(assignment, "wagtail.edit", user=actor)
    user_groups_sync(user=assignment.user)
    return assignment


@transaction.atomic
def roster_file(*, actor=None, roster: Roster, filed_on, filed_with: Organisation) -> Roster:
    """Record that a roster was filed (备案) with the town office."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    roster.filed_on = filed_on
    roster.filed_with = filed_with
    roster.full_clean()
    roster.save(update_fields=["filed_on", "filed_with"])
    log(roster, "wagtail.edit", user=actor)
    return roster
