"""Fuzzing the search syntax on both databases: any text is answered or refused cleanly.

Whatever the text — quotes, parentheses, FTS5 and tsquery operators, LIKE wildcards, CJK,
control of neither database's making — the answer is hits, or a BAD_USER_INPUT error from
Parley's own parser; never a database error, never INTERNAL_SERVER_ERROR.
"""

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzzing import FUZZ_SETTINGS
from tests.graphql import execute

PIECES = [
    *("export", "national", "security", "checks", "Wang", "Wentao", "the", "of", "end-use"),
    *('"', "(", ")", "-", "--", "OR", "or", "AND", "NOT", "NEAR", "NEAR(", "*", ":", "^"),
    *("title:", "body:", "{", "}", "&", "|", "!", "<->", "<2>", ":*", "'", "\\", "%", "_"),
    *("出口", "管制", "出口管制", "王文涛", "出", "钨", "ＥＯ", "U.S.", ";", "--", "/*", "\t"),
]
SEPARATORS = st.sampled_from(["", " ", "  ", "\n"])
TEXTS = st.one_of(
    st.lists(st.tuples(st.sampled_from(PIECES), SEPARATORS), max_size=12).map(
        lambda parts: "".join(piece + separator for piece, separator in parts)
    ),
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
        max_size=40,
    ),
)

QUERY = """query($text: String!) {
  search(query: $text, first: 5) { totalCount edges { node { score snippet record { id } } } }
  meetings(filter: { search: $text }, first: 5) { totalCount }
}"""


@settings(FUZZ_SETTINGS, max_examples=200)
@given(text=TEXTS)
async def test_any_search_text_is_answered_or_refused(client: httpx.AsyncClient, text: str) -> None:
    body = await execute(client, QUERY, text=text)

    errors = body.get("errors", [])
    codes = {error["extensions"]["code"] for error in errors}
    assert codes <= {"BAD_USER_INPUT"}, (text, errors)
    if errors:
        # the parser refused it: `search` is null; `meetings` (non-null) nulls the data too,
        # unless the text was blank, which a list filter takes as no condition at all
        assert body["data"] is None or body["data"]["search"] is None, (text, body)
    else:
        assert body["data"]["search"]["totalCount"] >= len(body["data"]["search"]["edges"])
