"""Parley: a GraphQL API for government dialogue mechanisms and what happens in them."""
