"""kombu's Redis transport, with one crash on a lost broker contained.

Found by ``tests/test_worker_robustness.py`` (Redis stopped while the worker runs a task,
on the prefork pool that docker-compose runs): when the consumer notices the connection
is gone, it closes the connection; the channel, closing, puts its unacknowledged messages
back, for which it builds a new connection pool from its transport's client, which the
close has already set to ``None``. The ``AttributeError`` ("'NoneType' object has no
attribute 'hostname'", in ``_connparams``) is not one of the transport's connection
errors, so Celery takes it as unrecoverable and the worker exits for good (kombu 5.7.0,
celery 5.7.0, redis-py 8.1.0).

Here the channel raises the connection error it should have met: "the broker is gone".
kombu ignores connection errors while closing, and Celery reconnects as it does for any
broker outage. The messages that could not be put back are lost with the broker, or, on a
Redis that keeps its data (docker-compose's appendonly), restored by kombu once their
visibility timeout has passed; nothing depends on them, since every task here sweeps the
database, which is the schedule (a lost ``send_due`` is the next sweep's work).

Used for ``redis://`` and ``rediss://`` brokers (``CELERY_BROKER_TRANSPORT`` in settings).
"""

from __future__ import annotations

import redis
from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> dict:
        if self.connection.client is None:
            raise redis.exceptions.ConnectionError(
                "The connection to the broker was closed: nothing can be sent through it."
            )
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
