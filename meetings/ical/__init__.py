"""iCalendar feeds of meetings, built so Google, Outlook, Apple and Thunderbird agree.

What the feed promises and why is in docs/calendar.md. One module per job:

- document: what a feed or a one-meeting .ics says (the data, loaded in 4 queries, and the
  properties of each VEVENT);
- writer: the bytes (RFC 5545 TEXT escaping, folding, content lines);
- vtimezone: the VTIMEZONE of a zone, in the RRULE form, derived from zoneinfo;
- versions: the HTTP validators of a feed and what bumps them.

Series and their occurrences are the models' job (meetings.models, meetings.occurrences,
meetings.series_split); this package only writes them down.
"""
