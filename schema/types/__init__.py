"""GraphQL object types; each resolves from the ORM row it wraps, relations through loaders."""
