"""The public portal's page cache.

Rendered public responses (home, column lists, item pages, the catalogue, feeds, sitemaps, API
answers) are kept in Django's cache under a key made of the host, the path with its query
string, the 长辈版 flag and the language, plus one *generation* value for the whole portal.

Why one generation and not per-page keys: an item appears on its item page on every site that
shows it, in each of its columns, on the home pages, in the catalogue's counts, in two feed
formats per column and per site, in sitemaps and in API pages. Working out that set on every
change is where stale copies hide. Changes are rare (dozens a day in a town) and reads are
many, so any change that can alter a public page replaces the generation and every cached
page is re-rendered on its next request. Invalidation therefore is one cache write, done after
the transaction commits (see signals.py) so that no request can re-cache the old state
between the bump and the commit.

The cache must be shared by every server process (a file or database cache, see
settings CACHE_URL): a per-process memory cache would leave other workers serving old pages.
"""

import hashlib
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation

GENERATION_KEY = "gongkai:portal:generation"
PAGE_KEY_PREFIX = "gongkai:portal:page"
ELDER_COOKIE = "gongkai_elder"
CACHE_HEADER = "X-Gongkai-Cache"


def _cache():
    return caches[getattr(settings, "GONGKAI_PORTAL_CACHE", "default")]


def _timeout() -> int:
    return int(getattr(settings, "GONGKAI_PORTAL_CACHE_SECONDS", 600))


def generation() -> str:
    """The current generation; a lost one (evicted, cache cleared) becomes a new one."""
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, value, timeout=None):
            value = cache.get(GENERATION_KEY) or value
    return value


def invalidate() -> None:
    """Forget every cached public page (they are re-rendered on their next request)."""
    _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


class _Pending:
    done = False


def _invalidate_once(pending: _Pending) -> None:
    if not pending.done:
        pending.done = True
        invalidate()


def invalidate_on_commit() -> None:
    """Forget cached pages once the current transaction commits (at once outside one).

    Every change registers a callback, but the callbacks of one transaction share one
    `_Pending`: an import saving thousands of items writes the generation once, not
    thousands of times. (A rolled-back transaction leaves its `_Pending` not done, and the
    next transaction simply uses it.)
    """
    connection = transaction.get_connection()
    pending = getattr(connection, "_gongkai_pending_invalidation", None)
    if pending is None or pending.done:
        pending = _Pending()
        connection._gongkai_pending_invalidation = pending
    transaction.on_commit(lambda: _invalidate_once(pending))


def is_elder(request) -> bool:
    return request.COOKIES.get(ELDER_COOKIE) == "1"


def mark_cacheable(response, *, page=None):
    """Let the middleware keep this response. Pages with view restrictions are never kept:
    the copy would be handed to visitors who have not passed the restriction."""
    if page is not None and page.get_view_restrictions().exists():
        return response
    response.gongkai_cacheable = True
    return response


def _request_key(request) -> str | None:
    if request.method != "GET":
        return None
    # Signed-in staff get fresh pages (and nothing of theirs is ever stored).
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return None
    try:
        host = request.get_host().lower()
    except Exception:  # DisallowedHost: let the normal stack answer it
        return None
    language = translation.get_language_from_request(request)
    raw = "\n".join(
        [host, request.get_full_path(), "elder" if is_elder(request) else "std", language]
    )
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class _LocalPages:
    """A small per-process copy of recently served pages (least recently used goes first).

    Entries are keyed with the generation like the shared cache, so a changed generation
    makes them unreachable at once; this saves one read of the shared cache per hit.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires < time.monotonic():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return value

    def put(self, key, value):
        with self.lock:
            # Never kept longer than the shared copy.
            self.entries[key] = (time.monotonic() + _timeout(), value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


LOCAL_PAGES = _LocalPages(size=500)


class PublicPageCacheMiddleware:
    """Serve cached public responses before routing; store those a view marked cacheable.

    Placed right after WhiteNoise, so a hit skips sessions, CSRF and Wagtail's routing. The
    stored response is what the inner middleware produced (their headers included).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _request_key(request)
        if key is None:
            return self.get_response(request)
        cache = _cache()
        full_key = f"{PAGE_KEY_PREFIX}:{generation()}:{key}"
        stored = LOCAL_PAGES.get(full_key)
        if stored is None:
            stored = cache.get(full_key)
            if stored is not None:
                LOCAL_PAGES.put(full_key, stored)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            response.headers[CACHE_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if (
            getattr(response, "gongkai_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            headers = [(k, v) for k, v in response.headers.items() if k != CACHE_HEADER]
            stored = (200, headers, response.content)
            cache.set(full_key, stored, _timeout())
            LOCAL_PAGES.put(full_key, stored)
            response.headers[CACHE_HEADER] = "miss"
        return response
