"""Full-text search: the syntax, what is indexed, the index in each database, snippets."""
