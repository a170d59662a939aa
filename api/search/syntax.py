"""The search syntax, parsed by Parley itself into a small tree.

Words, ``"quoted phrases"``, ``OR`` between alternatives, ``-word`` / ``-"phrase"`` to exclude,
parentheses to group; words side by side must all match. Only the tree reaches the databases,
rendered into their own query languages with every word as a bound value, so no input can
produce a database syntax error. What cannot be parsed is a ``SearchSyntaxError`` naming why.
"""

import dataclasses
import re
import unicodedata

MAX_QUERY_LENGTH = 1000
MAX_TERMS = 32

# Han (with extensions and compatibility ideographs), kana and Hangul: scripts written
# without spaces between words, matched as substrings rather than as words.
_CJK = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)
# A word as both databases' tokenizers see one: letters and digits (no underscore).
WORD = re.compile(r"[^\W_]+")

# PostgreSQL's English stop words (tsearch_data/english.stop). PostgreSQL drops them from
# queries; SQLite's FTS5 does not, so Parley drops them from both to give the same answers.
_STOP_WORDS_TEXT = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
she her hers herself it its itself they them their theirs themselves what which who whom
this that these those am is are was were be been being have has had having do does did
doing a an the and but if or because as until while of at by for with about against
between into through during before after above below to from up down in out on off over
under again further then once here there when where why how all any both each few more
most other some such no nor not only own same so than too very s t can will just don
should now
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


class SearchSyntaxError(ValueError):
    """The search text cannot be parsed; the message says where and why."""


@dataclasses.dataclass(frozen=True)
class Term:
    """A word or a quoted phrase: its words must appear in this order."""

    text: str
    phrase: bool = False

    @property
    def cjk(self) -> bool:
        """Chinese, Japanese or Korean text: matched as a substring, not word by word."""
        return _CJK.search(self.text) is not None

    @property
    def tokens(self) -> list[str]:
        """Every word of the term, lower-cased, in order (empty for CJK)."""
        return [] if self.cjk else WORD.findall(self.text.casefold())

    @property
    def words(self) -> list[str]:
        """The words of the term, lower-cased, stop words left out (empty for CJK)."""
        return [word for word in self.tokens if word not in STOP_WORDS]

    @property
    def searchable(self) -> bool:
        """False for a term made only of stop words or punctuation, which finds nothing."""
        return self.cjk or bool(self.words)


@dataclasses.dataclass(frozen=True)
class Not:
    """Records containing ``item`` are left out."""

    item: "Node"


@dataclasses.dataclass(frozen=True)
class And:
    """Every item matches."""

    items: tuple["Node", ...]


@dataclasses.dataclass(frozen=True)
class Or:
    """At least one item matches."""

    items: tuple["Node", ...]


Node = Term | Not | And | Or

_TOKEN = re.compile(r'\s+|"[^"]*"?|\(|\)|-|[^\s"()]+')


def _tokens(text: str) -> list[str]:
    tokens = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.isspace():
            continue
        if token.startswith('"') and (len(token) == 1 or not token.endswith('"')):
            raise SearchSyntaxError(f"The quote at character {match.start() + 1} is not closed.")
        tokens.append(token)
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.at = 0
        self.terms = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def alternatives(self) -> Node:
        items = [self.sequence()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR"):
                raise SearchSyntaxError("OR needs a word or phrase after it.")
            items.append(self.sequence())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def sequence(self) -> Node:
        if self.peek() == "OR":
            raise SearchSyntaxError("OR needs a word or phrase before it.")
        items = []
        while self.peek() not in (None, ")", "OR"):
            items.append(self.unary())
        if not items:
            raise SearchSyntaxError("Empty parentheses: put words between them.")
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        if self.peek() == "-":
            self.take()
            if self.peek() in (None, ")", "OR", "-"):
                raise SearchSyntaxError("A minus sign needs a word or phrase right after it.")
            return Not(self.atom())
        return self.atom()

    def atom(self) -> Node:
        piece = self.take()
        if piece == "(":
            inner = self.alternatives()
            if self.peek() != ")":
                raise SearchSyntaxError("An opening parenthesis is not closed.")
            self.take()
            return inner
        if piece == ")":
            raise SearchSyntaxError("A closing parenthesis has no opening one.")
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise SearchSyntaxError(f"A search has at most {MAX_TERMS} words and phrases.")
        if piece.startswith('"'):
            phrase = piece[1:-1].strip()
            if not phrase:
                raise SearchSyntaxError("An empty phrase: put words between the quotes.")
            return Term(phrase, phrase=True)
        return Term(piece)


def _positive(node: Node) -> bool:
    """The node can find records by itself (a negation alone cannot)."""
    if isinstance(node, Term):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_positive(item) for item in node.items)
    return all(_positive(item) for item in node.items)


def _check(node: Node) -> None:
    if isinstance(node, Not):
        _check(node.item)
    elif isinstance(node, And | Or):
        if not _positive(node):
            raise SearchSyntaxError(
                "Every alternative needs a word or phrase to find, not only words to exclude "
                '(write "export -drones", not "-drones").'
            )
        for item in node.items:
            _check(item)


def parse(text: str) -> Node:
    """The tree of a search text; raises SearchSyntaxError when it is malformed."""
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchSyntaxError(
            f"A search text has at most {MAX_QUERY_LENGTH} characters; got {len(text)}."
        )
    tokens = _tokens(unicodedata.normalize("NFKC", text))
    if not tokens:
        raise SearchSyntaxError("The search text is empty: give a word or phrase to find.")
    parser = _Parser(tokens)
    tree = parser.alternatives()
    if parser.peek() is not None:
        raise SearchSyntaxError("A closing parenthesis has no opening one.")
    if not _positive(tree):
        raise SearchSyntaxError(
            'A search needs a word or phrase to find, not only words to exclude ("-drones").'
        )
    _check(tree)
    return tree


def prune(node: Node) -> Node | None:
    """The tree without terms that find nothing (stop words, punctuation); None if none is left.

    A negation whose term is gone excludes nothing and goes too; an AND left with nothing but
    negations finds nothing (None), as its positive terms were all stop words.
    """
    if isinstance(node, Term):
        return node if node.searchable else None
    if isinstance(node, Not):
        item = prune(node.item)
        return Not(item) if item is not None else None
    items = [kept for kept in (prune(item) for item in node.items) if kept is not None]
    if isinstance(node, And):
        if not any(_positive(item) for item in items):
            return None
        return items[0] if len(items) == 1 else And(tuple(items))
    if not items:
        return None
    return items[0] if len(items) == 1 else Or(tuple(items))


def positive_terms(node: Node) -> list[Term]:
    """The terms a match may contain (not those under a negation), for ranking and snippets."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return []
    return [term for item in node.items for term in positive_terms(item)]
