"""The signals participants sends; other apps connect to them from their hooks.py.

- `people_merged(sender=Person, keep, moved)`: sent by participants.merge.merge_people inside its
  transaction, after every reference was moved. `keep` is the kept Person; `moved` maps each
  related model to the list of its rows that now point at `keep` (only models with moved rows).
  A receiver refreshes what it derives from those rows (meetings re-renders minutes that named
  a merged person, so their links lead to the kept one).
"""

from django.dispatch import Signal

people_merged = Signal()
