"""Domain logic: async functions taking the session first and keyword-only arguments.

Services flush, never commit: the caller (a mutation resolver, the CLI) owns the transaction.
"""
