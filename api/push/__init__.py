"""`parley push`: record a file of meetings through the GraphQL API, safely re-runnable."""
