"""Running background work the same way in every size of deployment.

`enqueue(task, *args)` runs a Celery task: on a worker in production
(TASKS_MODE=celery), in a daemon thread in the embedded default (TASKS_MODE=thread),
or at once in tests (TASKS_MODE=eager). Callers always enqueue after commit.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)


def _run_in_thread(task, args, kwargs):
    def target():
        close_old_connections()
        try:
            task.apply(args=args, kwargs=kwargs, throw=True)
        except Exception:
            logger.exception("Background task %s failed", task.name)
        finally:
            close_old_connections()

    threading.Thread(target=target, daemon=True, name=task.name).start()


def enqueue(task, *args, **kwargs) -> None:
    """Run `task` in the background once the current transaction commits."""

    def send():
        mode = settings.TASKS_MODE
        if mode == "celery":
            task.apply_async(args=args, kwargs=kwargs)
        elif mode == "thread":
            _run_in_thread(task, args, kwargs)
        else:
            task.apply(args=args, kwargs=kwargs, throw=True)

    transaction.on_commit(send)
