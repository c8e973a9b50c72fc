"""What a citizen typed, made into a query both backends can run safely.

Nothing the user types reaches an FTS5 MATCH string or a tsquery as syntax: the text is cut
into tokens made of letters and digits only, and the backends quote every token themselves.
Operator characters (AND OR NOT NEAR * ^ : " ( ) - +) therefore mean nothing, except two
documented conveniences: text in paired quotes is a phrase, and a leading minus excludes a
word (-招标). Anything else odd (an unpaired quote, SQL, punctuation only) becomes plain words or
nothing, and an empty query is an empty page with a hint, never an error.

The query is a small tree (Tok, And, Or, Phrase, Near, Not) that each backend renders in its
own syntax.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import docnumbers, text

MAX_QUERY_CHARS = 200
MAX_CHUNKS = 12
# Words too common to narrow a query; dropped when the query has other words.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 在 是 对 于 为 将 等 之 其 并 也 而 由 以 从 向 把 被".split()
)
OPERATOR_WORDS = frozenset({"and", "or", "not", "near"})
QUOTE_RE = re.compile(r"[\"“”「」『』]")
PHRASE_RE = re.compile(r"[\"“「『]([^\"“”「」『』]+)[\"”」』]")
# A phrase's words may stand this many tokens apart (search mode puts the parts of long words
# between them, e.g. 共和国 … 中华人民共和国政府 … 信息).
PHRASE_SLOP = 4


# -- the tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tok:
    token: str


@dataclass(frozen=True)
class And:
    parts: tuple


@dataclass(frozen=True)
class Or:
    parts: tuple


@dataclass(frozen=True)
class Phrase:
    """Tokens in this exact order, next to each other; `column` restricts it (grams)."""

    tokens: tuple
    column: str | None = None


@dataclass(frozen=True)
class Near:
    """Tokens within PHRASE_SLOP of one another (a quoted phrase)."""

    tokens: tuple


@dataclass(frozen=True)
class Meta:
    """Any of these filter tokens (organisation, column, site, category, validity)."""

    tokens: tuple


def and_(parts):
    parts = tuple(p for p in parts if p is not None)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def or_(parts):
    parts = tuple(dict.fromkeys(p for p in parts if p is not None))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Or(parts)


def walk_tokens(node):
    """Every token in a tree (for highlighting and for counting terms)."""
    if node is None:
        return
    if isinstance(node, Tok):
        yield node.token
    elif isinstance(node, And | Or):
        for part in node.parts:
            yield from walk_tokens(part)
    elif isinstance(node, Phrase | Near | Meta):
        yield from node.tokens


# -- the parsed query -------------------------------------------------------------------------


@dataclass
class Chunk:
    """One thing the user asked for: a word group, a quoted phrase or a document number."""

    label: str  # as typed (normalised), for messages and "fewer words" suggestions
    all_expr: object  # over every field
    head_expr: object  # over title, document number and summary (adds the bigram phrase)
    highlight: list[str] = field(default_factory=list)
    # Marked only in a text where none of highlight is found: the words of a quoted phrase,
    # which matched as neighbours but may stand apart in the text (消防，工作).
    fallback: list[str] = field(default_factory=list)
    docnos: list = field(default_factory=list)
    weight: int = 1


@dataclass
class ParsedQuery:
    raw: str
    text: str  # what was searched for (cleaned, possibly truncated)
    chunks: list[Chunk] = field(default_factory=list)
    excluded: list[Chunk] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.chunks

    def all_expr(self, chunks=None):
        return and_(c.all_expr for c in (self.chunks if chunks is None else chunks))

    def head_expr(self, chunks=None):
        return and_(c.head_expr for c in (self.chunks if chunks is None else chunks))

    def exclusion_expr(self):
        return or_(c.all_expr for c in self.excluded)

    def highlight_terms(self) -> list[str]:
        terms = []
        for chunk in self.chunks:
            terms.extend(chunk.highlight)
        return list(dict.fromkeys(t for t in terms if t))

    def highlight_fallback(self) -> list[str]:
        """What is marked in a text where no highlight term is found (see Chunk.fallback)."""
        terms = set(self.highlight_terms())
        fallback = [t for chunk in self.chunks for t in chunk.fallback]
        return list(dict.fromkeys(t for t in fallback if t and t not in terms))

    def docnos(self) -> list:
        return [d for c in self.chunks for d in c.docnos]

    def without(self, index: int) -> "ParsedQuery":
        """The same query without its index-th chunk ("fewer words" suggestions)."""
        chunks = [c for i, c in enumerate(self.chunks) if i != index]
        label = " ".join(c.label for c in chunks)
        return ParsedQuery(raw=label, text=label, chunks=chunks, excluded=self.excluded)


def _word_expr(word: str):
    parts = text.subwords(word)
    if parts:
        return Or((Tok(word), And(tuple(Tok(p) for p in parts))))
    return Tok(word)


def _words_chunk(label: str, *, phrase: bool = False) -> Chunk | None:
    words = text.query_words(label)
    kept = [w for w in words if w not in STOPWORDS] or words
    if not kept:
        return None
    if phrase and len(words) > 1:
        all_expr = Near(tuple(words))
    elif phrase and text.subwords(words[0]):
        # One dictionary word: the word itself, or its parts next to each other.
        all_expr = Or((Tok(words[0]), Near(tuple(text.subwords(words[0])))))
    else:
        all_expr = and_(_word_expr(w) for w in kept)
    head_expr = all_expr
    cjk_runs = text.CJK_RUN_RE.findall(text.normalise(label))
    grams = text.grams(label)
    if cjk_runs and len(grams) >= 1 and any(len(r) >= 2 for r in cjk_runs):
        # The bigram phrase finds the chunk inside a title however jieba cut the title; it
        # stands for the Chinese part, other words are still required.
        gram_phrases = [
            Phrase(tuple(text.grams(run)), column="grams") for run in cjk_runs if len(run) >= 2
        ]
        cjk = "".join(cjk_runs)
        other = [w for w in kept if not text.CJK_RUN_RE.fullmatch(w) or w not in cjk]
        gram_expr = and_([*gram_phrases, *(_word_expr(w) for w in other)])
        head_expr = or_([all_expr, gram_expr])
    highlight = [text.normalise(label).strip()]
    words_marked = [w for w in kept if len(w) >= 2 or not text.CJK_RUN_RE.fullmatch(w)]
    if len(kept) == 1:
        words_marked += kept
    for w in kept:
        words_marked += [p for p in text.subwords(w) if len(p) >= 2]
    # A quoted phrase is marked as a whole; its words (or a word's parts) only where it is not
    # found as typed (they matched as neighbours, perhaps across punctuation).
    fallback = words_marked if phrase else []
    if not phrase:
        highlight += words_marked
    return Chunk(
        label=label, all_expr=all_expr, head_expr=head_expr, highlight=highlight, fallback=fallback
    )


def _docno_chunk(docno, label: str) -> Chunk:
    expr = or_(Tok(t) for t in docno.query_tokens())
    return Chunk(label=label, all_expr=expr, head_expr=expr, highlight=[], docnos=[docno])


OPERATOR_RE = re.compile(r"(?<![A-Za-z])(?:AND|OR|NOT|NEAR)(?![A-Za-z])")


def parse(raw: str) -> ParsedQuery:
    raw = raw if isinstance(raw, str) else ""
    cleaned = text.SPACE_RE.sub(" ", text.clean(raw)).strip()
    parsed = ParsedQuery(raw=raw, text=cleaned)
    if len(cleaned) > MAX_QUERY_CHARS:
        cleaned = cleaned[:MAX_QUERY_CHARS]
        parsed.text = cleaned
        parsed.truncated = True
        parsed.notices.append(
            _("检索词过长，已只按前%(count)d个字检索。") % {"count": MAX_QUERY_CHARS}
        )
    # AND / OR / NOT / NEAR typed as operators: words are ANDed anyway.
    rest = OPERATOR_RE.sub(" ", cleaned).lower()

    pieces = []
    # Document numbers first, so their brackets and digits do not become words.
    found = docnumbers.find(rest)
    if found:
        pieces += [("docno", docno, rest[start:end]) for docno, start, end in found]
        rest = docnumbers.DOCNO_RE.sub(" ", docnumbers.normalise(rest))

    # Paired quotes are phrases; a quote without its pair is just a character.
    pieces += [("phrase", None, m.group(1)) for m in PHRASE_RE.finditer(rest)]
    rest = QUOTE_RE.sub(" ", PHRASE_RE.sub(" ", rest))

    for part in rest.split():
        if part.startswith("-") and part.lstrip("-+"):
            pieces.append(("exclude", None, part.lstrip("-+")))
        else:
            pieces.append(("words", None, part))

    for kind, docno, label in pieces:
        if kind == "docno":
            parsed.chunks.append(_docno_chunk(docno, label))
            continue
        chunk = _words_chunk(label, phrase=kind == "phrase")
        if chunk is None:
            continue
        if kind == "exclude":
            parsed.excluded.append(chunk)
        else:
            parsed.chunks.append(chunk)

    if len(parsed.chunks) > MAX_CHUNKS:
        parsed.chunks = parsed.chunks[:MAX_CHUNKS]
        parsed.notices.append(_("检索词过多，已只按前%(count)d个词检索。") % {"count": MAX_CHUNKS})
    if parsed.excluded and not parsed.chunks:
        parsed.excluded = []
    return parsed


def parse_document_number(value: str):
    """The 文号 filter: canonical tokens if it is a document number, else words."""
    value = text.clean(value or "").strip()[:100]
    numbers = docnumbers.parse(value)
    if numbers:
        return or_(Tok(t) for t in numbers[0].query_tokens()), numbers[0]
    words = [w for w in text.query_words(value)]
    return and_(Tok(w) for w in words), None
