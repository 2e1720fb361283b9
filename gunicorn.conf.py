"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py app:app`.

Everything is read from the environment, so one file serves every server:

- POLARE_BIND (default 127.0.0.1:8000): where the reverse proxy reaches the app;
- POLARE_WORKERS (default 2): worker processes; more than one needs REDIS_URL, so that every
  worker counts requests against the same limits (applications per address, personnummer
  lookups per user, calendar feeds); failed logins are counted in the database;
- POLARE_TIMEOUT (default 120 s): a payroll export of a large month takes seconds, not minutes;
- POLARE_FORWARDED_ALLOW_IPS (default 127.0.0.1): whose X-Forwarded-Proto gunicorn trusts;
- POLARE_PROXIES (read by the app): how many proxies' X-Forwarded-* headers to trust.
"""

import os
import sys
from typing import Any

bind = os.environ.get("POLARE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("POLARE_WORKERS", "2"))
timeout = int(os.environ.get("POLARE_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# The app applies ProxyFix itself (POLARE_PROXIES); gunicorn trusts forwarded headers only from
# a proxy on this machine.
forwarded_allow_ips = os.environ.get("POLARE_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Restart workers now and then, so a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200


def on_starting(server: Any) -> None:
    """Refuse several workers without Redis: each would count limited requests alone.

    The effective worker count is read from the server, so `--workers` on the command line
    (which overrides this file) is what counts.
    """
    count = server.cfg.workers
    redis_url = os.environ.get("REDIS_URL", "")
    if count > 1 and not redis_url.startswith(("redis://", "rediss://")):
        sys.exit(
            f"Polare: {count} workers need REDIS_URL, so that every worker shares the request "
            "limits (applications, personnummer lookups); otherwise each counts alone and an "
            "abuser gets workers × the limit. Set REDIS_URL=redis://host:6379/0, or "
            "POLARE_WORKERS=1."
        )
