"""Reads: the rules a scan of an organisation's items uses, stored results, the word list file."""

import threading
from collections import OrderedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import (
    organisation_ancestors,
    organisation_subtree_ids,
    user_active_roles,
)
from gongkai.orgs.services import role_permissions

from .matchers import PhraseMatcher, Ruleset, WordMatcher, format_word_list
from .models import AllowedPhrase, Finding, ScanResult, SensitiveWord

# Building the automaton for 10,000 words takes a tenth of a second; a scan must not pay it.
# Matchers are cached per organisation chain and rebuilt when the rows behind them change
# (count and latest change time, one cheap query), which also holds across processes.
_CACHE_SIZE = 64
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def organisation_chain_ids(*, organisation: Organisation) -> list[int]:
    """The organisation and every organisation above it: their lists apply to it."""
    return [organisation.pk, *[o.pk for o in organisation_ancestors(organisation=organisation)]]


def _cached(kind: str, org_ids: list[int], queryset, build):
    stamp = tuple(queryset.aggregate(n=Count("id"), changed=Max("updated_at")).values())
    key = (kind, tuple(sorted(org_ids)))
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            _cache.move_to_end(key)
            return hit[1]
    value = build()
    with _cache_lock:
        _cache[key] = (stamp, value)
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def word_matcher_for(*, org_ids: list[int]) -> WordMatcher | None:
    queryset = SensitiveWord.objects.filter(organisation_id__in=org_ids)

    def build():
        entries = list(queryset.filter(active=True).values_list("word", "category"))
        return WordMatcher(entries) if entries else None

    return _cached("words", org_ids, queryset, build)


def phrase_matcher_for(*, org_ids: list[int]) -> PhraseMatcher | None:
    queryset = AllowedPhrase.objects.filter(organisation_id__in=org_ids)

    def build():
        phrases = list(queryset.filter(active=True).values_list("phrase", flat=True))
        return PhraseMatcher(phrases) if phrases else None

    return _cached("allowed", org_ids, queryset, build)


def ruleset_for_organisation(*, organisation: Organisation | None) -> Ruleset:
    if organisation is None:
        return Ruleset()
    ids = organisation_chain_ids(organisation=organisation)
    return Ruleset(
        words=word_matcher_for(org_ids=ids),
        allowed=phrase_matcher_for(org_ids=ids),
        label=organisation.code,
    )


def sensitive_words(*, organisation: Organisation, inherited: bool = False):
    ids = organisation_chain_ids(organisation=organisation) if inherited else [organisation.pk]
    return SensitiveWord.objects.filter(organisation_id__in=ids, active=True).order_by("word")


def allowed_phrases(*, organisation: Organisation):
    ids = organisation_chain_ids(organisation=organisation)
    return AllowedPhrase.objects.filter(organisation_id__in=ids, active=True).order_by("phrase")


def word_list_export(*, organisation: Organisation, inherited: bool = False) -> str:
    """The organisation's active words as the UTF-8 text file the import reads back."""
    # Sorted here, not by the database, so that SQLite and PostgreSQL export the same file.
    rows = sorted(
        sensitive_words(organisation=organisation, inherited=inherited).values_list(
            "word", "category"
        )
    )
    header = [
        _("敏感词库：%(org)s（代码 %(code)s）")
        % {"org": organisation.name, "code": organisation.code},
        _("导出时间：%(time)s，共 %(n)s 个词。")
        % {
            "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "n": len(rows),
        },
        _("格式：每行一个词；可在词后加一个制表符再写分类；以 # 开头的行是注释。"),
    ]
    return format_word_list(rows, header=header)


def scan_results_for(*, obj):
    content_type = ContentType.objects.get_for_model(obj)
    return ScanResult.objects.filter(content_type=content_type, object_id=str(obj.pk))


def scan_result_latest(*, obj) -> ScanResult | None:
    return scan_results_for(obj=obj).order_by("-scanned_at", "-id").first()


def findings_open(*, scan: ScanResult):
    return scan.findings.filter(status=Finding.Status.OPEN)


def organisation_ids_with_perm(*, user, perm: str) -> set[int] | None:
    """Organisations (subtrees included) where the user's roles grant `perm`; None: all."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    mapping = role_permissions()
    roots = [
        org_id for role, org_id in user_active_roles(user=user) if perm in mapping.get(role, [])
    ]
    return organisation_subtree_ids(organisations=roots)


# ---------------------------------------------------------------------------------------------
# The review workflow
# ---------------------------------------------------------------------------------------------


def workflow_for_organisation(*, organisation: Organisation | None):
    """The workflow of the nearest organisation up the tree that has one (active), or None."""
    from .models import OrganisationWorkflow

    if organisation is None:
        return None
    chain = organisation_chain_ids(organisation=organisation)  # itself, then upwards
    rows = {
        row.organisation_id: row.workflow
        for row in OrganisationWorkflow.objects.filter(
            organisation_id__in=chain, workflow__active=True
        ).select_related("workflow")
    }
    for org_id in [organisation.pk, *reversed(chain[1:])]:
        if org_id in rows:
            return rows[org_id]
    return None


def workflow_for_item(*, item):
    """DisclosureItem.get_workflow: the organisation's workflow, else the model's default."""
    from django.conf import settings

    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return None
    organisation = getattr(item, "organisation", None) if item.organisation_id else None
    workflow = workflow_for_organisation(organisation=organisation)
    if workflow is not None:
        return workflow
    return type(item).get_default_workflow()


def review_records_for(*, obj, revision=None):
    from .models import ReviewRecord

    records = ReviewRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("reviewer", "organisation", "revision")
    if revision is not None:
        records = records.filter(revision=revision)
    return records.order_by("decided_at", "id")


def scan_results_for_revision(*, revision):
    return ScanResult.objects.filter(revision=revision).order_by("-scanned_at", "-id")
