"""The search syntax, parsed by Parley into a tree before any database sees it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.search.syntax import And, Not, Or, SearchSyntaxError, Term, parse, positive_terms, prune


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("export", Term("export")),
        ("end-use checks", And((Term("end-use"), Term("checks")))),
        ('"national security"', Term("national security", phrase=True)),
        ("a b OR c", Or((And((Term("a"), Term("b"))), Term("c")))),
        ("(a OR b) c", And((Or((Term("a"), Term("b"))), Term("c")))),
        (
            'export -drones -"consumer drones"',
            And((Term("export"), Not(Term("drones")), Not(Term("consumer drones", phrase=True)))),
        ),
        ("出口管制 OR 王文涛", Or((Term("出口管制"), Term("王文涛")))),
        ("or", Term("or")),  # lower-case: a word (a stop word, pruned later)
    ],
)
def test_parse(text: str, tree: object) -> None:
    assert parse(text) == tree


def test_stop_words_and_punctuation_are_pruned_alike_on_both_databases() -> None:
    assert prune(parse("the export")) == Term("export")
    assert prune(parse("the OR of")) is None
    assert prune(parse("export -the")) == Term("export")
    assert prune(parse('"Ministry of Commerce"')) == Term("Ministry of Commerce", phrase=True)
    assert prune(parse("*** export")) == Term("export")


def test_chinese_terms_are_substrings_and_latin_ones_words() -> None:
    assert Term("出口管制").cjk
    assert not Term("export").cjk
    assert Term("U.S.-China").tokens == ["u", "s", "china"]
    assert Term("the Ministry of Commerce").words == ["ministry", "commerce"]


def test_only_positive_terms_rank_and_mark() -> None:
    tree = parse('(gallium OR "rare earths") -drones')
    assert positive_terms(tree) == [Term("gallium"), Term("rare earths", phrase=True)]


@settings(max_examples=500, derandomize=True, database=None)
@given(st.text(alphabet='ab "()-OR出 \t', max_size=30))
def test_any_text_parses_or_says_why(text: str) -> None:
    try:
        tree = parse(text)
    except SearchSyntaxError as exc:
        message = str(exc)
        tree = None
    if tree is None:
        assert message  # refused, saying why
    else:
        assert positive_terms(tree)  # something to find
