"""PostgreSQL whose connection health check costs no round trip.

With CONN_HEALTH_CHECKS, Django asks the server `SELECT 1` before the first query of
every request that reuses a persistent connection: one more round trip on every
request. A server that ends a connection (restart, crash, terminated backend, idle
timeout) says so and closes the socket, and says nothing to a healthy idle one. So
an idle connection whose socket has nothing to read (and no hang-up) is alive; one
with anything to read — a goodbye, or only a notice — gets Django's full check.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._idle_socket_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _idle_socket_quiet(self) -> bool:
        if self.connection.closed or getattr(self.connection, "broken", False):
            return False
        try:
            poller = select.poll()
            poller.register(self.connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except (OSError, ValueError, AttributeError):  # no poll(): ask the server
            return False
