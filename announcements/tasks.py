"""The background job: send one announcement (Django's Tasks framework, django.tasks).

With the immediate backend (the embedded default) it runs when enqueued, after the commit that
wrote the row; with django-tasks-db's DatabaseBackend, `manage.py db_worker` runs it, and a
failed send enqueues its own retry at the row's back-off time. Whatever the backend,
`manage.py send_due_announcements` (cron or a systemd timer) sends what is still unsent.
"""

from django.db import transaction
from django.tasks import task, task_backends

from . import sending
from .models import Announcement


@task
def send_announcement(pk, force=False, base_url=None):
    """Send Announcement `pk` (sending.send); True if sent now. JSON arguments only."""
    try:
        return sending.send(pk, force=force, base_url=base_url)
    except sending.SendFailed:
        backend = task_backends[send_announcement.backend]
        if backend.supports_defer:
            retry_at = Announcement.objects.values_list("next_attempt_at", flat=True).get(pk=pk)
            send_announcement.using(run_after=retry_at).enqueue(pk, base_url=base_url)
        return False


def enqueue_after_commit(rows, *, force=False, base_url=None):
    """Send `rows` in the background once the transaction that wrote them commits."""
    for row in rows:
        transaction.on_commit(
            lambda pk=row.pk: send_announcement.enqueue(pk, force=force, base_url=base_url)
        )
