"""Searching published items: the Python API (`search_items`) behind the page and the JSON API.

    from gongkai.search.selectors import search_items

    results = search_items(query="安全生产 通知", filters={"year": 2012}, page=1, per_page=20)
    for hit in results.hits:
        hit.item, hit.title_html, hit.snippet_html, hit.score

Only public items (live and not withdrawn) are ever returned: the index holds nothing else, and
every page of hits is loaded through `items_public()` again, so an item withdrawn a moment ago
is dropped even if the index has not caught up.
"""

import logging
import math
import time
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalogue.models import DisclosureItem
from gongkai.catalogue.selectors import items_public

from . import highlight, text
from . import query as q
from .backends import get_backend
from .backends.base import Filters, key_item_id, year_key_range
from .ranking import rank
from .services import meta_token

logger = logging.getLogger(__name__)

FILTER_KEYS = (
    "site",
    "organisation",
    "column",
    "category",
    "subject",
    "year",
    "validity",
    "document_number",
)
DEFAULT_CANDIDATES = 400
MAX_PER_PAGE = 100
SUGGESTION_COUNT_LIMIT = 1000
# "Fewer words" counts stop here: each is a walk over the intersection of the remaining words
# (up to 6 of them after a search that found nothing), and "100+" says enough to choose by.
FEWER_WORDS_COUNT_LIMIT = 100
SIMILAR_MIN_DICE = 0.3
# What a page of hits shows (other fields load on access): loading whole items with their
# relations cost more than the search itself.
HIT_FIELDS = (
    "id",
    "title",
    "summary",
    "body",
    "document_number",
    "index_number",
    "publisher",
    "published_date",
    "first_published_at",
    "created_date",
    "validity",
    "live",
    "withdrawn_at",
    "organisation__id",
    "organisation__name",
    "category__id",
    "category__name",
)


@dataclass
class Hit:
    item: DisclosureItem
    score: float
    title_html: str
    snippet_html: str
    document_number_html: str
    matched_in: str  # title, document_number, summary, body, attachment, other
    url: str | None = None

    def as_dict(self) -> dict:
        item = self.item
        return {
            "id": item.pk,
            "title": item.title,
            "title_html": str(self.title_html),
            "snippet_html": str(self.snippet_html),
            "url": self.url,
            "document_number": item.document_number,
            "document_number_html": str(self.document_number_html),
            "index_number": item.index_number,
            "published_date": item.published_on.isoformat() if item.published_on else None,
            "organisation": {"id": item.organisation_id, "name": item.organisation.name},
            "publisher": item.publisher_name,
            "category": {"id": item.category_id, "name": item.category.name},
            "validity": {"value": item.validity, "label": str(item.get_validity_display())},
            "matched_in": self.matched_in,
            "score": round(self.score, 6),
        }


@dataclass
class Suggestion:
    kind: str  # drop_filters, fewer_words, similar_title, tip
    label: str
    query: str | None = None
    keep_filters: bool = True
    count: int | None = None
    item: DisclosureItem | None = None
    url: str | None = None

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "label": self.label,
            "query": self.query,
            "keep_filters": self.keep_filters,
            "count": self.count,
            "item_id": self.item.pk if self.item else None,
            "url": self.url,
        }


def nested_quotes(value: str) -> str:
    """value as it reads inside “…”: its own double quotation marks become single ones, as
    Chinese nests them (“‘消防工作’ 通知”的检索结果, not ““消防工作” 通知”); straight quotes
    are taken as opening and closing in turn."""
    out, opening = [], True
    for char in value or "":
        if char == "“":
            out.append("‘")
        elif char == "”":
            out.append("’")
        elif char == '"':
            out.append("‘" if opening else "’")
            opening = not opening
        else:
            out.append(char)
    return "".join(out)


@dataclass
class SearchResults:
    query: str
    filters: dict
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    total_is_estimate: bool = False
    page: int = 1
    per_page: int = 20
    num_pages: int = 0
    notices: list[str] = field(default_factory=list)
    # When only the best-ranked candidates are listed (the cap), how many: callers without
    # filters (the kiosk) word their own notice from it.
    capped_at: int | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    empty_query: bool = False
    took_ms: float = 0.0
    backend: str = ""

    @property
    def quoted_query(self) -> str:
        """The query as shown inside “…” (page title, nothing found)."""
        return nested_quotes(self.query)

    @property
    def has_previous(self) -> bool:
        return self.page > 1 and self.num_pages > 0

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    def as_dict(self) -> dict:
        return {
            "query": self.query,
            "filters": {k: v for k, v in self.filters.items() if k != "site_scope"},
            "total": self.total,
            "total_is_estimate": self.total_is_estimate,
            "page": self.page,
            "per_page": self.per_page,
            "num_pages": self.num_pages,
            "results": [hit.as_dict() for hit in self.hits],
            "suggestions": [s.as_dict() for s in self.suggestions],
            "notices": self.notices,
            "took_ms": round(self.took_ms, 1),
        }


# -- filters ----------------------------------------------------------------------------------


def _ids(value) -> list[int]:
    values = value if isinstance(value, list | tuple | set) else [value]
    out = []
    for v in values:
        if isinstance(v, Model):
            v = v.pk
        if isinstance(v, bool):
            raise ValueError(v)
        number = int(str(v).strip())
        if not 0 < number < 2**63:
            raise ValueError(v)
        out.append(number)
    return out


def resolve_filters(filters: dict, site=None) -> tuple[Filters, dict, list[str], bool]:
    """(index filters, the filters applied as plain values, notices, any chosen by the user)."""
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise ValueError(f"unknown search filters: {sorted(unknown)}")
    result = Filters()
    applied: dict = {}
    notices: list[str] = []
    chosen = False
    labels = {
        "site": _("网站"),
        "organisation": _("发布机构"),
        "column": _("栏目"),
        "category": _("信息类别"),
        "subject": _("主题分类"),
        "year": _("年份"),
        "validity": _("有效性"),
        "document_number": _("文号"),
    }
    for key in FILTER_KEYS:
        value = filters.get(key)
        if value in (None, "", [], ()):
            continue
        try:
            if key == "organisation":
                from gongkai.orgs.selectors import organisation_subtree_ids

                ids = _ids(value)
                subtree = sorted(organisation_subtree_ids(organisations=ids))
                result.meta.append(tuple(meta_token("o", pk) for pk in subtree or ids))
                applied[key] = ids if len(ids) > 1 else ids[0]
            elif key in ("site", "column", "category", "subject"):
                letter = {"site": "s", "column": "c", "category": "k", "subject": "j"}[key]
                ids = _ids(value)
                result.meta.append(tuple(meta_token(letter, pk) for pk in ids))
                applied[key] = ids if len(ids) > 1 else ids[0]
            elif key == "year":
                year = int(str(value).strip())
                if not 1900 <= year <= 2200:
                    raise ValueError(value)
                result.key_lo, result.key_hi = year_key_range(year)
                applied[key] = year
            elif key == "validity":
                values = value if isinstance(value, list | tuple) else [value]
                values = [str(v) for v in values]
                if not set(values) <= set(DisclosureItem.Validity.values):
                    raise ValueError(value)
                result.meta.append(tuple(meta_token("v", v) for v in values))
                applied[key] = values if len(values) > 1 else values[0]
            elif key == "document_number":
                expr, _number = q.parse_document_number(str(value))
                if expr is None:
                    raise ValueError(value)
                result.docno = expr
                applied[key] = text.clean(str(value)).strip()[:100]
            chosen = True
        except (TypeError, ValueError):
            notices.append(_("筛选条件“%(name)s”的值无效，已忽略。") % {"name": labels[key]})
    if site is not None:
        site_id = site.pk if isinstance(site, Model) else site
        try:
            result.meta.append((meta_token("s", _ids(site_id)[0]),))
            applied["site_scope"] = _ids(site_id)[0]
        except (TypeError, ValueError):
            notices.append(_("网站参数无效，已在全部网站中检索。"))
    return result, applied, notices, chosen


# -- the search -------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _docno_tokens(parsed: q.ParsedQuery, filters: Filters) -> list[str]:
    tokens = [t for number in parsed.docnos() for t in number.query_tokens()]
    if filters.docno is not None:
        tokens += list(q.walk_tokens(filters.docno))
    return tokens


def _attachment_texts(item_ids) -> dict[int, list[str]]:
    from .models import AttachmentText

    by_item: dict[int, list[str]] = {}
    rows = AttachmentText.objects.filter(attachment__item_id__in=item_ids).values_list(
        "attachment__item_id", "attachment__title", "text"
    )
    for item_id, title, content in rows:
        by_item.setdefault(item_id, []).extend([title, content])
    return by_item


def _make_hits(items, scores, terms, docno_tokens, fallback=()) -> list[Hit]:
    hits, need_attachments = [], []
    bodies = {}
    for item in items:
        title_marks = highlight.spans(item.title, terms, docno_tokens, fallback)
        docno_marks = highlight.spans(item.document_number, terms, docno_tokens)
        snippet = highlight.snippet(item.summary, terms, docno_tokens, fallback)
        matched = "title" if title_marks else "document_number" if docno_marks else "other"
        if snippet is not None:
            matched = matched if matched != "other" else "summary"
        else:
            bodies[item.pk] = body = text.html_to_text(item.body)
            snippet = highlight.snippet(body, terms, docno_tokens, fallback)
            if snippet is not None and matched == "other":
                matched = "body"
        if snippet is None:
            need_attachments.append(item.pk)
        hits.append(
            Hit(
                item=item,
                score=scores[item.pk],
                title_html=highlight.marked(item.title, title_marks),
                snippet_html=snippet,
                document_number_html=highlight.highlight(
                    item.document_number, terms, docno_tokens, fallback
                ),
                matched_in=matched,
            )
        )
    if need_attachments:
        texts = _attachment_texts(need_attachments)
        for hit in hits:
            if hit.snippet_html is not None:
                continue
            joined = "\n".join(texts.get(hit.item.pk, []))
            snippet = highlight.snippet(joined, terms, docno_tokens, fallback)
            if snippet is not None and hit.matched_in == "other":
                hit.matched_in = "attachment"
            hit.snippet_html = snippet or highlight.plain_snippet(
                hit.item.summary or bodies.get(hit.item.pk) or text.html_to_text(hit.item.body)
            )
    return hits


def _page_hits(window, parsed: q.ParsedQuery, flt: Filters, terms: list[str]) -> list[Hit]:
    """The hits of one page of ranked (score, candidate) pairs: the items read again through
    items_public(), so one withdrawn a moment ago is never shown, and highlighted."""
    ids = [key_item_id(cand.rank_key) for _score, cand in window]
    scores = {key_item_id(cand.rank_key): score for score, cand in window}
    items = {
        item.pk: item
        for item in items_public()
        .filter(pk__in=ids)
        .select_related("organisation", "category")
        .only(*HIT_FIELDS)
        .order_by()
    }
    missing = [pk for pk in ids if pk not in items]
    if missing:
        # The index is behind (an item was just withdrawn); never show it.
        logger.warning("search: index holds items that are not public: %s", missing)
    return _make_hits(
        [items[pk] for pk in ids if pk in items],
        scores,
        terms,
        _docno_tokens(parsed, flt),
        parsed.highlight_fallback(),
    )


def _cap() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_CANDIDATES", DEFAULT_CANDIDATES))


def search_items(
    *, query: str, filters: dict | None = None, site=None, page: int = 1, per_page: int = 20
) -> "SearchResults":
    """Published items matching query and filters, best first, one page of them.

    query: what the citizen typed (anything: it is cleaned, and cut at 200 characters).
    filters: any of site, organisation (with its sub-organisations), column (with its
    sub-columns), category, subject (ids or model instances; a list means any of them), year,
    validity (DisclosureItem.Validity values) and document_number (文号, any bracket style).
    Bad filter values are ignored with a notice; unknown keys raise ValueError.
    site: limit to the items shown on this Wagtail site (a Site or its id).
    """
    started = time.perf_counter()
    parsed = q.parse(query)
    flt, applied, notices, chosen = resolve_filters(dict(filters or {}), site)
    try:
        page = max(1, int(page))
    except (TypeError, ValueError):
        page = 1
    try:
        per_page = min(MAX_PER_PAGE, max(1, int(per_page)))
    except (TypeError, ValueError):
        per_page = 20
    backend = get_backend()
    results = SearchResults(
        query=parsed.text,
        filters=applied,
        page=page,
        per_page=per_page,
        notices=parsed.notices + notices,
        terms=parsed.highlight_terms(),
        backend=backend.vendor,
    )
    browse = parsed.is_empty
    if browse and not chosen:
        results.empty_query = True
        if parsed.text:
            results.notices.append(_("检索词中没有可以检索的文字（只有标点或符号），请换个说法。"))
        results.suggestions.append(
            Suggestion(
                kind="tip",
                label=_("请输入要查找的词语，例如“安全生产”，或文号，例如“东府办函〔2012〕53号”。"),
            )
        )
        results.took_ms = (time.perf_counter() - started) * 1000
        return results

    cap = _cap()
    max_pages = math.ceil(cap / per_page)
    if page > max_pages:
        page = results.page = max_pages
    all_expr = parsed.all_expr()
    head_expr = None if browse else parsed.head_expr()
    exclude = parsed.exclusion_expr()
    # Deep pages need more candidates than the first one.
    want = max(cap, page * per_page) if not browse else page * per_page
    cset = backend.candidates(
        all_expr=all_expr,
        head_expr=head_expr,
        exclude=exclude,
        filters=flt,
        cap=want,
        head_probe=all_expr,
    )
    ranked = rank(cset.candidates, today=_today(), browse=browse)
    results.total = max(cset.count, len(ranked)) if cset.capped else len(ranked)
    results.total_is_estimate = cset.capped
    reachable = min(results.total, len(ranked)) if not browse else results.total
    results.num_pages = math.ceil(reachable / per_page) if reachable else 0
    if browse and cset.capped:
        results.num_pages = min(max_pages, math.ceil(results.total / per_page))
    if results.num_pages and page > results.num_pages:
        results.notices.append(_("没有这一页，已显示最后一页。"))
        page = results.page = results.num_pages
    window = ranked[(page - 1) * per_page : page * per_page]
    results.hits = _page_hits(window, parsed, flt, results.terms)
    if results.total == 0:
        results.suggestions = _suggestions(parsed, flt, chosen, backend, applied)
    if cset.capped and not browse and results.total > len(ranked):
        results.capped_at = len(ranked)
        results.notices.append(
            _("结果较多，只列出最相关的前%(count)d条；可以增加检索词或使用筛选条件缩小范围。")
            % {"count": len(ranked)}
        )
    results.took_ms = (time.perf_counter() - started) * 1000
    return results


def _suggestions(parsed, flt: Filters, chosen: bool, backend, applied) -> list[Suggestion]:
    out: list[Suggestion] = []
    all_expr = parsed.all_expr()
    if chosen and all_expr is not None:
        scope = Filters()
        if "site_scope" in applied:
            scope.meta = [(meta_token("s", applied["site_scope"]),)]
        count = backend.count(all_expr=all_expr, filters=scope, limit=SUGGESTION_COUNT_LIMIT)
        if count:
            out.append(
                Suggestion(
                    kind="drop_filters",
                    label=_("去掉筛选条件后有%(count)s条结果") % {"count": _count_label(count)},
                    query=parsed.text,
                    keep_filters=False,
                    count=count,
                )
            )
    if len(parsed.chunks) > 1:
        best = None
        for index in range(min(len(parsed.chunks), 6)):
            fewer = parsed.without(index)
            count = backend.count(
                all_expr=fewer.all_expr(), filters=flt, limit=FEWER_WORDS_COUNT_LIMIT
            )
            if count and (best is None or count > best[1]):
                best = (fewer, count, parsed.chunks[index].label)
        if best is not None:
            fewer, count, dropped = best
            out.append(
                Suggestion(
                    kind="fewer_words",
                    label=_("去掉“%(word)s”后有%(count)s条结果：%(query)s")
                    % {
                        "word": nested_quotes(dropped),
                        "count": _count_label(count, FEWER_WORDS_COUNT_LIMIT),
                        "query": fewer.text,
                    },
                    query=fewer.text,
                    count=count,
                )
            )
    grams = text.grams(parsed.text)
    if len(grams) >= 2:
        keys = backend.similar_titles(grams=grams, filters=flt, limit=20)
        ids = [key_item_id(k) for k in keys]
        items = {i.pk: i for i in items_public().filter(pk__in=ids).only("id", "title").order_by()}
        wanted = set(grams)
        scored = []
        for pk in ids:
            item = items.get(pk)
            if item is None:
                continue
            have = set(text.grams(item.title))
            dice = 2 * len(wanted & have) / (len(wanted) + len(have)) if have else 0
            if dice >= SIMILAR_MIN_DICE:
                scored.append((dice, item))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        for _dice, item in scored[:5]:
            out.append(Suggestion(kind="similar_title", label=item.title, item=item))
    out.append(
        Suggestion(
            kind="tip",
            label=_("检查错别字，换一个更常用的说法，或减少检索词；文号可以只输入“〔2012〕53号”。"),
        )
    )
    return out


def _count_label(count: int, limit: int = SUGGESTION_COUNT_LIMIT) -> str:
    """The count as shown: a count that reached its limit is a lower bound ("100+")."""
    return f"{count}+" if count >= limit else str(count)
