"""One beat at a time, however many are started: RedBeat's lock in Redis, kept through an
outage of Redis.

Two beats would send every periodic task twice (the sweeps claim their rows, so nothing
would happen twice, but every sweep would run twice as often). With a Redis broker, beat
runs RedBeat (celery-redbeat, ``CELERY_BEAT_SCHEDULER`` in settings): the schedule lives
in Redis, and a beat sends nothing until it holds the lock ``redbeat::lock``. A second
beat waits in start-up, trying every ``BEAT_MAX_LOOP_SECONDS``, and takes over once the
lock expires, ``BEAT_LOCK_SECONDS`` after the holder last ticked (each tick extends it).
``tests/test_deploy.py`` starts two and kills the holder.

What RedBeat leaves out, and this scheduler adds:

- a Redis that does not answer makes RedBeat's ``tick`` raise, which ends beat: a worker
  with embedded beat (``make run`` on Redis) would carry on without one, and a lone beat
  would stop until restarted. Here beat waits and tries again;
- a lock found lost when Redis answers again (Redis restarted without it, or the outage
  outlasted the lock and another beat took it) is taken again, waiting as a second beat
  does, and the schedule is written again (a Redis restarted empty lost it too) before
  anything more is sent;
- a beat embedded in a worker (``celery worker --beat``) is stopped with SIGTERM and
  would die holding the lock, so that the next one waited for it to expire: here SIGTERM
  ends it as it ends a standalone beat, releasing the lock.
"""

from __future__ import annotations

import signal
import sys
from types import SimpleNamespace

import redis
from celery.signals import beat_embedded_init
from celery.utils.log import get_logger
from redbeat import RedBeatScheduler
from redbeat.schedulers import RedBeatConfig, acquire_distributed_beat_lock

logger = get_logger("celery.beat")

REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class Config(RedBeatConfig):
    """RedBeat's settings, found under the Django settings' ``CELERY_`` names too
    (``CELERY_REDBEAT_REDIS_URL``): RedBeat 2.4 reads their values there but, asking
    whether each is set, looks for its own names only, so it warned that they were not
    and gave the Redis client none of ``CELERY_REDBEAT_REDIS_OPTIONS``."""

    def is_key_in_conf(self, name: str) -> bool:
        keys = {key.upper() for key in self.app.conf}
        prefix = f"{self.app.namespace}_" if self.app.namespace else ""
        return name.upper() in keys or f"{prefix}{name.upper()}" in keys


class Scheduler(RedBeatScheduler):
    def __init__(self, app, *args, **kwargs) -> None:
        if not isinstance(getattr(app, "redbeat_conf", None), Config):
            app.redbeat_conf = Config(app)
        super().__init__(app, *args, **kwargs)

    def tick(self, *args, **kwargs) -> float:
        try:
            if self.lock_key and self.lock is None:
                # Not taken at start-up (Redis did not answer) or lost: wait for it as a
                # second beat does (blocks while another beat holds it).
                acquire_distributed_beat_lock(sender=SimpleNamespace(scheduler=self))
                # A Redis that lost the lock may have lost the schedule with it (restarted
                # without its data): without this, beat would tick and send nothing.
                self.setup_schedule()
            return super().tick(*args, **kwargs)
        except redis.exceptions.LockError:
            logger.warning("beat: the lock is no longer ours; sending nothing until it is again")
            self.lock = None
            return 0
        except REDIS_ERRORS as exc:
            logger.warning(
                "beat: Redis does not answer (%s); trying again in %s s", exc, self.max_interval
            )
            return self.max_interval

    def close(self) -> None:
        # Releasing needs Redis; one that is gone lets the lock expire by itself.
        try:
            super().close()
        except (redis.exceptions.LockError, *REDIS_ERRORS) as exc:
            logger.warning("beat: the lock was not released (%s); it expires by itself", exc)
            self.lock = None


def _sigterm_ends_beat(signum, frame) -> None:
    # Celery's beat service closes the scheduler (releasing the lock) on SystemExit.
    sys.exit(0)


@beat_embedded_init.connect
def _release_the_lock_on_sigterm(sender=None, **kwargs) -> None:
    if isinstance(getattr(sender, "scheduler", None), Scheduler):
        signal.signal(signal.SIGTERM, _sigterm_ends_beat)
