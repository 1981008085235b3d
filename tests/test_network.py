"""Network probes against real sockets on this machine: a closed port, a listening server, a proxy that tunnels,
and a proxy that accepts connections but never answers (as one with no way out does)."""

from __future__ import annotations

import socket
import threading

import pytest

from giffusion_widgets.network import hub_offline, hub_reachable, reachable

PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
                   "NO_PROXY", "no_proxy")


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def listening():
    """A server that accepts connections (the kernel's backlog does) and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def closed_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    return port


@pytest.fixture
def tunnelling_proxy():
    """A proxy that answers every CONNECT with 200; it records the requests it got."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    requests: list[bytes] = []

    def serve():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                requests.append(connection.recv(1024))
                connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1], requests
    server.close()


def test_a_listening_server_is_reachable_and_a_closed_port_is_not(listening, closed_port):
    assert reachable(f"https://127.0.0.1:{listening}", timeout=2)
    assert not reachable(f"https://127.0.0.1:{closed_port}", timeout=2)


def test_a_name_that_does_not_resolve_is_not_reachable():
    assert not reachable("https://no-such-host.invalid", timeout=2)


def test_a_proxy_that_never_answers_means_no_network(monkeypatch, listening):
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{listening}")
    assert not reachable("https://www.comet.com", timeout=0.5)


def test_a_proxy_that_tunnels_means_network_and_gets_the_servers_name(monkeypatch, tunnelling_proxy):
    port, requests = tunnelling_proxy
    monkeypatch.setenv("HTTPS_PROXY", f"http://user:pa%20ss@127.0.0.1:{port}")
    assert reachable("https://www.comet.com", timeout=2)
    assert requests[0].startswith(b"CONNECT www.comet.com:443 HTTP/1.1\r\n")
    assert b"Proxy-Authorization: Basic dXNlcjpwYSBzcw==" in requests[0]  # user:pa ss


def test_no_proxy_hosts_are_probed_directly(monkeypatch, listening, closed_port):
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{closed_port}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert reachable(f"https://127.0.0.1:{listening}", timeout=2)


@pytest.mark.parametrize("variable", ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"])
def test_the_hub_is_off_limits_when_the_user_says_offline(monkeypatch, listening, variable):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{listening}")
    assert hub_reachable(timeout=2) and not hub_offline()
    monkeypatch.setenv(variable, "1")
    assert hub_offline() and not hub_reachable(timeout=2)
