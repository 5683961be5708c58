"""The worker's own periodic work: its heartbeat, the daily backup, the admins' emails."""

import datetime
import logging

from django.conf import settings
from django.core.mail import mail_admins
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = datetime.timedelta(minutes=1)


@task(backend="outbox")
def email_admins(subject, message, html_message=None):
    """A server error's email to ADMINS (clinic.errors.QueuedAdminEmailHandler)."""
    mail_admins(subject, message, html_message=html_message)
    return "sent"


@task(backend="outbox")
def heartbeat():
    """The worker's pulse, read by /readyz; each beat books the next and forgets old ones."""
    now = timezone.now()
    try:
        DBTaskResult.objects.filter(
            task_path=heartbeat.module_path, finished_at__lt=now - 10 * HEARTBEAT_EVERY
        ).delete()
    finally:
        heartbeat.using(run_after=now + HEARTBEAT_EVERY).enqueue()
    return now.isoformat()


def next_backup_time(now=None):
    """The next BACKUP_HOUR o'clock in the clinic's time zone."""
    local = timezone.localtime(now)
    at = local.replace(hour=settings.BACKUP_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + datetime.timedelta(days=1)


@task(backend="outbox")
def daily_backup():
    """Back up the database and media, keep the last BACKUP_KEEP; book tomorrow's run."""
    from clinic import backups

    try:
        archive = backups.create_backup()
        removed = backups.remove_old_backups(settings.BACKUP_KEEP)
    finally:
        daily_backup.using(run_after=next_backup_time()).enqueue()
    logger.info("Backup %s written; %s old archive(s) removed", archive.name, len(removed))
    return archive.name


PERIODIC = {"heartbeat": heartbeat, "daily backup": daily_backup}


def ensure_scheduled():
    """Queue each periodic task unless one is already waiting; the names of those queued."""
    queued = []
    for name, periodic in PERIODIC.items():
        waiting = DBTaskResult.objects.filter(
            task_path=periodic.module_path, status__in=["READY", "RUNNING"]
        ).exists()
        if not waiting:
            run_after = next_backup_time() if periodic is daily_backup else timezone.now()
            periodic.using(run_after=run_after).enqueue()
            queued.append(name)
    return queued
