"""Parley's seed data: YAML documents read by ``api.services.seed.load``."""
