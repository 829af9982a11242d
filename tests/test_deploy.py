"""Issue 16, item 6: docker-compose checks itself.

Read from the files themselves (docker-compose.yml, the Dockerfile, .dockerignore, the
proxy's config): every long-running service has a healthcheck, web is reached only
through the proxy, the code is in the image once. Then the parts that run: the web app's
healthcheck against a live server, and two real beats on a Redis of the test's own, of
which only one sends anything until it is killed (compact_process/beat.py).

`docker compose config` itself runs in CI when a client is installed (.ci/run).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.db import OperationalError, connection

from compact_process import healthcheck
from tests.test_celery_worker import CELERY, ROOT, base_env
from tests.test_worker_robustness import RedisServer

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
# Runs once and exits (migrations and the seed): no healthcheck to keep.
ONE_OFF = {"migrate"}


# --- The files --------------------------------------------------------------------------


def test_every_long_running_service_checks_itself():
    for name, service in SERVICES.items():
        if name in ONE_OFF:
            assert service["restart"] == "no"
            continue
        check = service.get("healthcheck", {})
        assert check.get("test"), f"{name} has no healthcheck"
        assert not check.get("disable"), name


def test_the_workers_healthchecks_ping_the_node_names_they_run_as():
    """A worker's node is celery@<hostname> unless --hostname says otherwise; a ping to
    another name is never answered, and the worker would look dead for ever."""
    for name in ("worker", "pdf-worker"):
        service = SERVICES[name]
        given = [arg for arg in service["command"] if arg.startswith("--hostname=")]
        node = given[0].removeprefix("--hostname=").split("@")[0] if given else "celery"
        assert f"-d {node}@$$HOSTNAME" in service["healthcheck"]["test"][1], name


def test_web_is_reached_only_through_the_proxy():
    web, proxy = SERVICES["web"], SERVICES["proxy"]
    assert "ports" not in web
    assert web["deploy"]["replicas"] >= 2
    assert proxy["ports"] == ["8000:8000"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    # The headers the web app trusts are the ones the proxy overwrites.
    conf = proxy_conf()
    assert "proxy_set_header X-Real-IP $remote_addr;" in conf
    assert web["environment"]["AXES_IPWARE_META_PRECEDENCE_ORDER"] == "HTTP_X_REAL_IP"
    assert 'proxy_set_header X-Request-Start "t=${msec}";' in conf
    assert web["environment"]["REQUEST_START_HEADER"] == "X-Request-Start"
    # Every replica, re-resolved as they come and go.
    assert re.search(r"server web:8000 resolve;", conf)


def proxy_conf() -> str:
    mounts = [volume.split(":") for volume in SERVICES["proxy"]["volumes"]]
    [source] = [src for src, target, *_ in mounts if target.startswith("/etc/nginx/")]
    return (ROOT / source).read_text()


def test_the_proxy_refuses_what_the_app_would(settings):
    limit = int(re.search(r"client_max_body_size (\d+)m;", proxy_conf()).group(1))
    largest = settings.DOCUMENT_UPLOAD_MAX_BYTES + settings.REQUEST_BODY_MARGIN_BYTES
    assert limit * 1024 * 1024 == largest
    timeout = int(re.search(r"proxy_read_timeout (\d+)s;", proxy_conf()).group(1))
    assert timeout == settings.REQUEST_TIMEOUT_SECONDS


def test_there_is_one_beat_and_its_healthcheck_asks_whether_it_ticks():
    beat = SERVICES["beat"]
    assert beat["deploy"]["replicas"] == 1
    assert beat["command"][:4] == ["celery", "-A", "compact_process", "beat"]
    # Without it, beat answers no ping at all.
    assert "--enable-remote-control" in beat["command"]
    assert "-d celerybeat@$$HOSTNAME" in beat["healthcheck"]["test"][1]


def test_the_image_takes_the_code_once_and_nothing_local():
    dockerfile = (ROOT / "Dockerfile").read_text()
    copies = re.findall(r"^COPY (.+)$", dockerfile, flags=re.M)
    assert copies == ["pyproject.toml ./", ". ."]
    assert not re.search(r"pip install[^\n]* \.(\s|$)", dockerfile), "the project installed too"
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "var", "**/__pycache__", "**/*.pyc", "tests"} <= ignored


# --- The settings that go with it -------------------------------------------------------


def settings_of(env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "compact_process.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_beat_takes_the_lock_on_redis_and_keeps_its_file_without(tmp_path):
    names = ("CELERY_BEAT_SCHEDULER", "CELERY_REDBEAT_LOCK_TIMEOUT", "STORAGES")
    done = settings_of({"VAR_DIR": str(tmp_path)}, *names)
    found = json.loads(done.stdout)
    assert found["CELERY_BEAT_SCHEDULER"] is None  # Celery's own, for make run
    assert found["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    done = settings_of({"VAR_DIR": str(tmp_path), "REDIS_URL": "redis://127.0.0.1:1/0"}, *names)
    found = json.loads(done.stdout)
    assert found["CELERY_BEAT_SCHEDULER"] == "compact_process.beat:Scheduler"
    assert found["CELERY_REDBEAT_LOCK_TIMEOUT"] == 30


def test_a_lock_shorter_than_a_few_ticks_is_refused(tmp_path):
    env = {"VAR_DIR": str(tmp_path), "REDIS_URL": "redis://127.0.0.1:1/0"}
    done = settings_of({**env, "BEAT_MAX_LOOP_SECONDS": "5", "BEAT_LOCK_SECONDS": "10"})
    assert "BEAT_LOCK_SECONDS at least twice" in done.stderr


def test_a_bucket_puts_media_on_object_storage(tmp_path):
    import importlib.util

    env = {"VAR_DIR": str(tmp_path), "AWS_STORAGE_BUCKET_NAME": "compact-media"}
    done = settings_of(env, "STORAGES")
    if importlib.util.find_spec("storages") and importlib.util.find_spec("boto3"):
        media = json.loads(done.stdout)["STORAGES"]["default"]
        assert media["BACKEND"] == "storages.backends.s3.S3Storage"
        assert media["OPTIONS"]["bucket_name"] == "compact-media"
        assert media["OPTIONS"]["file_overwrite"] is False
    else:  # the optional extra is not installed: said at start-up, not at the first upload
        assert "django-storages[s3] is not installed" in done.stderr


# --- The web app's healthcheck ----------------------------------------------------------


def test_the_web_healthcheck_asks_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz/db")
    assert response.status_code == 200 and response.content == b"ok"


def test_a_database_that_does_not_answer_is_unhealthy(client, db, monkeypatch):
    def refused():
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:  # undone before the test database's teardown
        patched.setattr(connection, "cursor", refused)
        response = client.get("/healthz/db")
    assert response.status_code == 503


# Serialized, as every live-server test here: a flush without it recreates the content
# types that the next serialized test loads again.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_healthcheck_sends_a_host_that_django_allows(live_server, monkeypatch):
    port = live_server.url.rsplit(":", 1)[1]
    monkeypatch.setenv("GUNICORN_BIND", f"0.0.0.0:{port}")
    monkeypatch.setenv("ALLOWED_HOSTS", "*,.localhost")
    assert healthcheck.host() == "localhost"
    assert healthcheck.check() is None
    # Django answers 400 to a host it does not serve: unhealthy, and says why.
    monkeypatch.setenv("ALLOWED_HOSTS", "compact.example.org")
    assert "400" in healthcheck.check()


# --- One beat at a time -----------------------------------------------------------------

SENT = "Scheduler: Sending due task heartbeat"
ACQUIRED = "beat: Acquired lock"


@pytest.fixture
def beat_redis(tmp_path):
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


class Beat:
    """A beat started as docker-compose starts it, with a node name of its own (both run
    on this machine), logging to a file."""

    def __init__(self, name: str, env: dict[str, str], folder: Path) -> None:
        self.node = f"{name}@test"
        self.log_path = folder / f"{name}.log"
        command = [CELERY if arg == "celery" else arg for arg in SERVICES["beat"]["command"]]
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [*command, f"--hostname={self.node}"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.env = env

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def wait_for(self, text: str, seconds: float, count: int = 1) -> float:
        start = time.monotonic()
        while self.log.count(text) < count:
            assert self.process.poll() is None, f"{self.node} died:\n{self.log[-4000:]}"
            if time.monotonic() - start > seconds:
                pytest.fail(f"{self.node} never logged {text!r}:\n{self.log[-4000:]}")
            time.sleep(0.1)
        return time.monotonic() - start

    def healthy(self) -> bool:
        """docker-compose's healthcheck of beat, asked of this beat's node."""
        test = shlex.split(SERVICES["beat"]["healthcheck"]["test"][1])
        test = [CELERY if arg == "celery" else arg for arg in test]
        test[test.index("-d") + 1] = self.node
        test[test.index("--timeout") + 1] = "3"
        done = subprocess.run(test, cwd=ROOT, env=self.env, capture_output=True, timeout=60)
        return done.returncode == 0

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def beat_env(tmp_path: Path, redis_url: str) -> dict[str, str]:
    return {
        **base_env(tmp_path),
        "REDIS_URL": redis_url,
        "HEARTBEAT_SECONDS": "1",
        "BEAT_MAX_LOOP_SECONDS": "1",
        "BEAT_LOCK_SECONDS": "8",
    }


@pytest.mark.worker
@pytest.mark.redis
def test_a_second_beat_sends_nothing_until_the_first_is_killed(tmp_path, beat_redis):
    import redis

    env = beat_env(tmp_path, beat_redis.url)
    first, second = Beat("beat-a", env, tmp_path), None
    try:
        first.wait_for(ACQUIRED, 30)
        first.wait_for(SENT, 10)
        second = Beat("beat-b", env, tmp_path)
        second.wait_for("beat: Starting...", 30)
        sent = first.log.count(SENT)
        first.wait_for(SENT, 15, count=sent + 4)
        assert ACQUIRED not in second.log and SENT not in second.log
        # The holder answers its healthcheck; the one waiting does not.
        assert first.healthy()
        assert not second.healthy()

        first.kill()  # no release: the lock expires BEAT_LOCK_SECONDS after its last tick
        took = second.wait_for(ACQUIRED, 8 + 1 + 10)
        second.wait_for(SENT, 5)
        assert took > 5, "taken over before the lock expired"
        assert second.healthy()

        second.stop()  # SIGTERM, as `docker compose stop` sends: the lock is released
        assert "beat: Releasing lock" in second.log
        assert not redis.Redis.from_url(beat_redis.url).exists("redbeat::lock")
    finally:
        first.kill()
        if second is not None:
            second.kill()


@pytest.mark.worker
@pytest.mark.redis
def test_a_beat_carries_on_after_redis_restarts_empty(tmp_path, beat_redis):
    """Redis restarted without its data has lost the lock and the schedule: the beat takes
    the one again and writes the other, rather than ticking for ever and sending nothing."""
    beat = Beat("beat", beat_env(tmp_path, beat_redis.url), tmp_path)
    try:
        beat.wait_for(SENT, 30)
        beat_redis.stop()
        beat.wait_for("beat: Redis does not answer", 10)
        beat_redis.start()
        beat.wait_for(ACQUIRED, 15, count=2)
        sent = beat.log.count(SENT)
        beat.wait_for(SENT, 10, count=sent + 2)
    finally:
        beat.kill()
