"""Meetings as files: an iCalendar feed and a CSV table (served by api.http.exports)."""
