"""Snippets: the passage of a document that best shows why it matched, matches marked.

Computed in Python from the document's text, the same way on both databases: a word matches
when its English stem is a search word's (checks ~ check), a Chinese term where it occurs.
"""

import dataclasses
import functools
import html
import re

import snowballstemmer  # type: ignore[import-untyped]

from api.search.syntax import WORD, Term

MARK_START, MARK_END = "<mark>", "</mark>"
ELLIPSIS = "…"
WIDTH = 160  # characters of context a snippet shows at most, matches included

_STEMMER = snowballstemmer.stemmer("english")


@dataclasses.dataclass(frozen=True)
class _Line:
    text: str
    spans: list[tuple[int, int]]  # matched character ranges, in order, not overlapping
    terms: int  # how many different search terms it matches


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    # Kept: the pure-Python stemmer costs ~0.1 ms a word, and a page of snippets stems the
    # same few hundred words request after request.
    return str(_STEMMER.stemWord(word.casefold()))


def _word_spans(line: str, terms: list[Term]) -> tuple[list[tuple[int, int]], set[int]]:
    words = [(m.start(), m.end(), _stem(m.group())) for m in WORD.finditer(line)]
    spans, found = [], set()
    for index, term in enumerate(terms):
        wanted = [_stem(word) for word in term.tokens]
        if term.cjk or not wanted:
            continue
        for at in range(len(words) - len(wanted) + 1):
            if all(words[at + k][2] == stem for k, stem in enumerate(wanted)):
                spans.append((words[at][0], words[at + len(wanted) - 1][1]))
                found.add(index)
    return spans, found


def _substring_spans(line: str, terms: list[Term]) -> tuple[list[tuple[int, int]], set[int]]:
    folded = line.casefold()
    spans, found = [], set()
    for index, term in enumerate(terms):
        if not term.cjk:
            continue
        needle = term.text.casefold()
        for match in re.finditer(re.escape(needle), folded):
            spans.append((match.start(), match.end()))
            found.add(index)
    return spans, found


def _merged(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans, and spans only a space apart ("national security"), become one."""
    result: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if result and (start <= result[-1][1] or line[result[-1][1] : start] == " "):
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        else:
            result.append((start, end))
    return result


def _line(text: str, terms: list[Term]) -> _Line:
    words, by_word = _word_spans(text, terms)
    substrings, by_substring = _substring_spans(text, terms)
    return _Line(text, _merged(text, words + substrings), len(by_word | by_substring))


def _window(line: _Line) -> tuple[int, int]:
    """Where the snippet starts and ends in the line: around the first match, on word edges."""
    if len(line.text) <= WIDTH:
        return 0, len(line.text)
    first_start, first_end = line.spans[0] if line.spans else (0, 0)
    start = max(0, min(first_start - WIDTH // 4, len(line.text) - WIDTH))
    end = min(len(line.text), max(start + WIDTH, first_end))
    if start > 0:
        space = line.text.find(" ", start, first_start)
        start = space + 1 if space != -1 else start
    if end < len(line.text):
        space = line.text.rfind(" ", max(first_end, start), end)
        end = space if space != -1 else end
    return start, end


def _render(line: _Line) -> str:
    start, end = _window(line)
    parts = [ELLIPSIS] if start > 0 else []
    at = start
    for span_start, span_end in line.spans:
        if span_start < start or span_end > end:
            continue
        parts += [
            html.escape(line.text[at:span_start]),
            MARK_START,
            html.escape(line.text[span_start:span_end]),
            MARK_END,
        ]
        at = span_end
    parts.append(html.escape(line.text[at:end]))
    if end < len(line.text):
        parts.append(ELLIPSIS)
    return "".join(parts)


def snippet(title: str, body: str, terms: list[Term]) -> str:
    """The line of the document matching the most terms (the body's first, before the title,
    on a tie), cut to about ``WIDTH`` characters around its first match: HTML-escaped text,
    each match between ``<mark>`` and ``</mark>``."""
    lines = [_line(text, terms) for text in body.split("\n") if text.strip()]
    heading = _line(title, terms)
    best = max(lines, key=lambda line: (line.terms, len(line.spans)), default=heading)
    if heading.terms >= best.terms and (heading.spans or not best.spans):
        best = heading if heading.terms > best.terms or not best.spans else best
    return _render(best)
