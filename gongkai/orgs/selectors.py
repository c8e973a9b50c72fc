"""Reads about organisations, roles and rosters."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Max, Q

from .models import Organisation, RoleAssignment, Roster


def _children_map() -> dict[int | None, list[int]]:
    # One query for the whole tree: a province has a few thousand organisations at most.
    children: dict[int | None, list[int]] = defaultdict(list)
    for org_id, parent_id in Organisation.objects.values_list("id", "parent_id"):
        children[parent_id].append(org_id)
    return children


def organisation_descendant_ids(*, organisation: Organisation | int) -> set[int]:
    """Every organisation below this one (not itself)."""
    root_id = organisation if isinstance(organisation, int) else organisation.pk
    children = _children_map()
    found: set[int] = set()
    stack = list(children.get(root_id, []))
    while stack:
        org_id = stack.pop()
        if org_id in found:
            continue
        found.add(org_id)
        stack.extend(children.get(org_id, []))
    return found


def organisation_subtree_ids(*, organisations: Iterable[Organisation | int]) -> set[int]:
    """The organisations given and everything below them."""
    roots = {o if isinstance(o, int) else o.pk for o in organisations}
    if not roots:
        return set()
    children = _children_map()
    found: set[int] = set()
    stack = list(roots)
    while stack:
        org_id = stack.pop()
        if org_id in found:
            continue
        found.add(org_id)
        stack.extend(children.get(org_id, []))
    return found


def organisation_ancestors(*, organisation: Organisation) -> list[Organisation]:
    """From the root down to the parent of this organisation."""
    by_id = {o.pk: o for o in Organisation.objects.all()}
    chain = []
    current = by_id.get(organisation.parent_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = by_id.get(current.parent_id)
    return list(reversed(chain))


def organisation_get_by_code(*, code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first()


def user_active_roles(*, user) -> list[tuple[str, int]]:
    """(role, organisation id) pairs the user holds now, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_gongkai_roles", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, ended_at__isnull=True).values_list(
                "role", "organisation_id"
            )
        )
        user._gongkai_roles = cached
    return cached


def user_organisation_ids(*, user, roles: Iterable[str] | None = None) -> set[int]:
    """Organisations where the user holds one of these roles (any role if None), with subtrees."""
    wanted = set(roles) if roles is not None else None
    roots = [
        org_id for role, org_id in user_active_roles(user=user) if wanted is None or role in wanted
    ]
    return organisation_subtree_ids(organisations=roots)


def user_has_role(*, user, role: str, organisation: Organisation | None = None) -> bool:
    if organisation is None:
        return any(r == role for r, _ in user_active_roles(user=user))
    return organisation.pk in user_organisation_ids(user=user, roles=[role])


def roster_filing_status(*, parent: Organisation) -> list[dict]:
    """For each organisation below `parent`: its latest roster and whether it has been filed.

    The town office uses this to see which villages and communities have not filed (备案).
    """
    ids = organisation_descendant_ids(organisation=parent)
    orgs = Organisation.objects.filter(id__in=ids, is_active=True).order_by(
        "kind", "sort_order", "id"
    )
    latest = {
        row["organisation_id"]: row
        for row in Roster.objects.filter(organisation_id__in=ids)
        .values("organisation_id")
        .annotate(adopted=Max("adopted_on"), filed=Max("filed_on"))
    }
    rows = []
    for org in orgs:
        info = latest.get(org.pk)
        rows.append(
            {
                "organisation": org,
                "adopted_on": info["adopted"] if info else None,
                "filed_on": info["filed"] if info else None,
                "filed": bool(info and info["filed"]),
            }
        )
    return rows


def organisations_not_filed(
    *, parent: Organisation, kinds: Iterable[str] | None = None
) -> list[Organisation]:
    kinds = set(kinds or [Organisation.Kind.VILLAGE])
    return [
        row["organisation"]
        for row in roster_filing_status(parent=parent)
        if not row["filed"] and row["organisation"].kind in kinds
    ]


def users_with_role(*, role: str, organisation: Organisation):
    """People who hold `role` in this organisation or any organisation above it."""
    from django.contrib.auth import get_user_model

    above = [organisation.pk, *[o.pk for o in organisation_ancestors(organisation=organisation)]]
    return (
        get_user_model()
        .objects.filter(
            Q(role_assignments__role=role)
            & Q(role_assignments__organisation_id__in=above)
            & Q(role_assignments__ended_at__isnull=True),
            is_active=True,
        )
        .distinct()
    )
