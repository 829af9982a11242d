"""A real Celery worker with embedded beat, started exactly as `make run` starts it,
runs the periodic task: on the embedded filesystem broker (a fresh machine) and on
Redis (docker-compose, CI, production). No eager mode, no mocks."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CELERY = str(Path(sys.executable).with_name("celery"))


def run_worker_until_heartbeat(env: dict[str, str], timeout: float = 90) -> str:
    worker = subprocess.Popen(
        [
            CELERY,
            "-A",
            "compact_process",
            "worker",
            "--beat",
            "--pool=solo",
            "--loglevel=info",
            "--schedule",
            str(Path(env["VAR_DIR"]) / "beat-schedule"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
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
            if "compact_process.tasks.heartbeat" in chunk and "succeeded" in chunk:
                return "".join(lines)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    pytest.fail("the worker never ran the heartbeat sent by beat:\n" + "".join(lines[-40:]))


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
    assert "redis://" in log
