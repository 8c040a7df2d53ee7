"""Calendar-related admin pieces for meeting series ("change time from this date on")."""


class SeriesSplitAdminMixin:
    """Mixed into MeetingSeriesAdmin; adds the "change time from this date on" view."""
