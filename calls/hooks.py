"""What calls plugs into the shared registries: transcripts in the site search.

Registered once from CallsConfig.ready(); the search page never imports calls.
"""

from mwi.lib import search as site_search

from . import search


def register():
    site_search.register(search.TranscriptSource())
