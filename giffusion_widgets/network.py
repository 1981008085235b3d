"""Quick answers to "can this machine reach that server?", so code that may go online waits seconds, not minutes.

Every probe is bounded as a whole, name lookup included (a socket timeout does not cover DNS): it runs in a daemon
thread that is abandoned when the time is up. Through a proxy, the probe asks the proxy to open a tunnel to the
server, so a proxy that answers but cannot get out counts as no network.
"""

from __future__ import annotations

import base64
import os
import socket
import threading
import urllib.request
from typing import NamedTuple
from urllib.parse import unquote, urlparse

PROBE_SECONDS = 3.0
HUB_URL = "https://huggingface.co"
_TRUE = {"1", "true", "yes", "on"}


def hub_offline() -> bool:
    """Whether the user told the Hugging Face libraries to stay offline (HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE)."""
    return any(os.environ.get(name, "").strip().lower() in _TRUE for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def hub_reachable(timeout: float = PROBE_SECONDS) -> bool:
    """Whether the model hub ($HF_ENDPOINT, else huggingface.co) can be reached now, and the user allows it."""
    return not hub_offline() and reachable(os.environ.get("HF_ENDPOINT") or HUB_URL, timeout)


def reachable(url: str, timeout: float = PROBE_SECONDS) -> bool:
    """Whether a TCP connection to `url`'s server opens within `timeout` seconds, through the proxy the
    environment names for it (HTTPS_PROXY, ALL_PROXY, ... and NO_PROXY), if any."""
    parsed = urlparse(url if "//" in url else f"https://{url}")
    host = parsed.hostname or ""
    port = parsed.port or (80 if parsed.scheme == "http" else 443)
    proxy = _proxy_for(parsed.scheme or "https", host)
    outcome: list[bool] = []
    probe = threading.Thread(target=lambda: outcome.append(_connect(host, port, proxy, timeout)), daemon=True,
                             name=f"probe {host}")
    probe.start()
    probe.join(timeout)
    return bool(outcome and outcome[0])


def _proxy_for(scheme: str, host: str) -> _Proxy | None:
    """The proxy that the standard environment variables send `host` through, or None."""
    if not host or urllib.request.proxy_bypass(host):
        return None
    proxies = urllib.request.getproxies()
    url = proxies.get(scheme) or proxies.get("all")
    if not url:
        return None
    parsed = urlparse(url if "//" in url else f"http://{url}")
    if not parsed.hostname:
        return None
    credentials = None
    if parsed.username:
        pair = f"{unquote(parsed.username)}:{unquote(parsed.password or '')}"
        credentials = base64.b64encode(pair.encode()).decode()
    return _Proxy(parsed.hostname, parsed.port or 8080, parsed.scheme.startswith("socks"), credentials)


class _Proxy(NamedTuple):
    host: str
    port: int
    socks: bool  # a SOCKS proxy speaks no HTTP: only its port is checked
    credentials: str | None  # base64 of "user:password" from the proxy's URL


def _connect(host: str, port: int, proxy: _Proxy | None, timeout: float) -> bool:
    try:
        if proxy is None:
            with socket.create_connection((host, port), timeout=timeout):
                return True
        with socket.create_connection((proxy.host, proxy.port), timeout=timeout) as connection:
            if proxy.socks:
                return True
            auth = f"Proxy-Authorization: Basic {proxy.credentials}\r\n" if proxy.credentials else ""
            connection.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n{auth}\r\n".encode())
            status = connection.recv(64).split(b"\r\n", 1)[0].split()
            return len(status) >= 2 and status[1] == b"200"
    except (OSError, UnicodeError):
        return False
