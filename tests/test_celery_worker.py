"""A real Celery worker with embedded beat, started exactly as `make run` starts it,
runs the periodic task: on the embedded filesystem broker (a fresh machine) and on
Redis (docker-compose, CI, production). No eager mode, no mocks."""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CELERY = str(Path(sys.executable).with_name("celery"))

pytestmark = pytest.mark.worker


def start_worker(
    env: dict[str, str], stdout: Any = subprocess.PIPE, pool: tuple[str, ...] = ("--pool=solo",)
) -> subprocess.Popen:
    """Start a worker with embedded beat, as `make run` does (``pool``: docker-compose's
    worker is ``--concurrency=2``, the prefork pool), in a session of its own (so that it
    can be killed with its beat process: ``os.killpg``)."""
    return subprocess.Popen(
        [
            CELERY,
            "-A",
            "compact_process",
            "worker",
            "--beat",
            *pool,
            "--loglevel=info",
            "--schedule",
            str(Path(env["VAR_DIR"]) / "beat-schedule"),
        ],
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def run_worker_until(env: dict[str, str], done: Callable[[str], bool], timeout: float = 90) -> str:
    """Run a worker with embedded beat, as `make run` does, until ``done(line)`` says so;
    return its log."""
    worker = start_worker(env)
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        assert worker.stdout is not None
        os.set_blocking(worker.stdout.fileno(), False)
        while time.monotonic() < deadline:
            chunk = worker.stdout.readline()
            if not chunk:
                if worker.poll() is not None:
                    break
                time.sleep(0.1)
                continue
            lines.append(chunk)
            if done(chunk):
                return "".join(lines)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    pytest.fail("the worker never got there:\n" + "".join(lines[-40:]))


def succeeded(task: str) -> Callable[[str], bool]:
    return lambda line: task in line and "succeeded" in line


def run_worker_until_heartbeat(env: dict[str, str]) -> str:
    return run_worker_until(env, succeeded("compact_process.tasks.heartbeat"))


def base_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
    }
    env.update({"DEBUG": "1", "VAR_DIR": str(tmp_path), "HEARTBEAT_SECONDS": "1"})
    return env


def test_worker_and_beat_on_the_embedded_broker(tmp_path):
    log = run_worker_until_heartbeat(base_env(tmp_path))
    assert "filesystem://" in log
    assert (tmp_path / "celery-broker").is_dir()


@pytest.mark.redis
def test_worker_and_beat_on_redis(tmp_path, redis_url):
    log = run_worker_until_heartbeat({**base_env(tmp_path), "REDIS_URL": redis_url})
    # Redis, through kombu's Redis transport as compact_process/broker.py amends it.
    host = urlsplit(redis_url).netloc
    assert f"Connected to compact_process.broker:Transport://:**@{host}/" in log


# --- Notifications sent by the real worker ----------------------------------------------

SCREEN_TWO_APPLICANTS = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from phases.models import MemberState
from stakeholders import services
from stakeholders.models import Organization
from stakeholders.models_registry import OrganizationMember

User = get_user_model()
office = User.objects.create_user("office", password="x-long-password-1")
office.groups.add(Group.objects.get(name="pga_office"))
from phases.models import Process
process = Process.objects.create(slug="p", title="Process", mandate="A/RES/71/280")
for name, language, state in [("Red", "es", "screened_in"), ("Voix", "fr", "screened_out")]:
    member = User.objects.create_user(name.lower(), email=f"{name.lower()}@example.org",
                                      password="x-long-password-1", preferred_language=language)
    org = Organization.objects.create(name=name, kind="ngo", email="o@example.org",
                                      country=MemberState.objects.get(iso3="KEN"))
    OrganizationMember.objects.create(user=member, organization=org)
    application = services.submit_application(process=process, organization=org,
                                              channel="special", activities="x")
    services.screen_application(application=application, state=state, actor=office)
print("written")
"""


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def messages_in(mail_dir: Path) -> int:
    """How many e-mails the file-based backend wrote. Not the number of files: two sends
    in the same second from backends at the same address share a file name, and the
    second is appended to the first's file."""
    texts = (path.read_text() for path in mail_dir.glob("*")) if mail_dir.is_dir() else ()
    return sum(len(re.findall(r"^Message-ID: ", text, flags=re.M)) for text in texts)


def run_worker_until_mail(env: dict[str, str], mail_dir: Path, expected: int) -> str:
    """Run worker and beat until ``expected`` e-mails are in ``mail_dir`` and three more
    sweeps have run (which must send nothing more)."""
    sweep = succeeded("notifications.tasks.send_due")
    sweeps_after = 0

    def done(line: str) -> bool:
        nonlocal sweeps_after
        if sweep(line) and messages_in(mail_dir) >= expected:
            sweeps_after += 1
        return sweeps_after >= 3

    return run_worker_until(env, done)


def worker_sends_each_applicant_one_email(env: dict[str, str], tmp_path: Path) -> None:
    mail_dir = tmp_path / "mail"
    env = {
        **env,
        "NOTIFICATION_SWEEP_SECONDS": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    manage(env, "migrate", "-v0")
    assert "written" in manage(env, "shell", "-c", SCREEN_TWO_APPLICANTS)
    run_worker_until_mail(env, mail_dir, expected=2)
    messages = "".join(path.read_text() for path in sorted(mail_dir.glob("*")))
    assert messages.count("To: red@example.org") == 1
    assert messages.count("To: voix@example.org") == 1
    assert "Content-Language: es" in messages and "Content-Language: fr" in messages


def test_the_worker_sends_notifications_once_on_the_embedded_broker(tmp_path):
    worker_sends_each_applicant_one_email(base_env(tmp_path), tmp_path)


@pytest.mark.redis
def test_the_worker_sends_notifications_once_on_redis(tmp_path, redis_url):
    worker_sends_each_applicant_one_email({**base_env(tmp_path), "REDIS_URL": redis_url}, tmp_path)


# --- Helpers of the robustness tests (tests/test_worker_robustness.py) -------------------


def dedicated_redis(redis_url: str, db: int) -> str:
    """The same Redis server, database ``db``, emptied: a queue no other test's worker
    reads from (nor leaves messages in)."""
    import redis

    url = urlsplit(redis_url)._replace(path=f"/{db}").geturl()
    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    return url


def kill_worker(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its embedded beat at once, as `docker kill` does: no warm
    shutdown, nothing acknowledged, nothing cleaned up."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=20)
