"""MWI's library: leaf helpers that the apps share.

Nothing here imports an app (participants, meetings, stackmap, insights) or the project's
composing modules (urls, views, demo); the import-linter contract in pyproject.toml checks it.
"""
