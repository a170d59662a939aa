"""What makes a source's address one a reader can follow: a full http(s) address of a
document, never a bare site root (``https://site/``, ``https://site/#2023-08-31``) nor an
address cut short with an ellipsis (``https://site/…/1363856``)."""

from urllib.parse import urlsplit

ELLIPSES = ("…", "...", "%E2%80%A6")


def address_problem(url: str) -> str | None:
    """Why ``url`` is not a followable address of a document; None when it is."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http(s) address"
    if any(mark in url.upper() if mark.startswith("%") else mark in url for mark in ELLIPSES):
        return 'is cut short with "…"; give the full address, or cite the source by title'
    if parts.path in ("", "/") and not parts.query:
        return "is a bare site address; give the document's full address, or cite it by title"
    return None


def citation_problem(url: str | None, title: str | None, publisher: str | None) -> str | None:
    """Why a source can be neither followed nor looked up; None when it can be."""
    if url is None and (title is None or publisher is None):
        return "Give the source's address, or its title and publisher to cite it without one."
    return None
