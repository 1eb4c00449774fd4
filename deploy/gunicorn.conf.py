"""Gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py stagebrug.wsgi`.

Every value can be changed through the environment (docs/deployment.md). Gunicorn also reads
GUNICORN_CMD_ARGS, which wins over this file.
"""

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Synchronous workers: pages query the database and render; a slow client is the load
# balancer's problem, which buffers requests and responses.
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)  # a PDF or a CSV export may take a while
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)  # longer than nothing, shorter than the balancer's
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Only the load balancer may say a request came over HTTPS (X-Forwarded-Proto); list its
# addresses. "*" is right only when nothing but the balancer can reach the web processes.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")  # "-" is standard output
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address from the balancer's X-Forwarded-For, request time in microseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
# Load the application once in the master, so workers start fast and share memory.
preload_app = True
# /dev/shm avoids a slow disk for the workers' heartbeat files in containers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def when_ready(server) -> None:
    """The application is loaded in the master: move its objects out of the garbage
    collector's sight before the workers fork. Workers then share those memory pages, and a
    full collection in a worker scans only what requests created (a shorter pause)."""
    gc.freeze()
