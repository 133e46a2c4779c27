"""The page answers only under a loopback name, the bound address or a name allowed on purpose (issue 13)."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import gradio as gr
import pytest

from ui.app import launch
from ui.hosts import HOSTS_ENV, REFUSED, allowed_hosts, host_name


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, host: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.fixture(scope="module")
def page_url():
    with pytest.MonkeyPatch.context() as env:
        env.setenv(HOSTS_ENV, "zhenbao.lan, 192.168.1.20")
        with gr.Blocks() as app:
            gr.Markdown("镇报问答")
        port = _free_port()
        launch(app, port=port, allowed=["office-pc"])
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            app.close()


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.0.0.1:7860", "localhost:7860", "[::1]:7860", "office-pc", "ZHENBAO.LAN:80"]
)
def test_loopback_bound_and_allowed_names_are_served(page_url, host):
    status, _ = _get(page_url, host)
    assert status == 200


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:7860", "127.0.0.1.evil.example", ""])
def test_any_other_host_is_refused_in_chinese(page_url, host):
    status, body = _get(page_url + "config", host)
    assert status == 400
    assert body == REFUSED and "拒绝访问" in body


def test_host_names_lose_their_port_and_brackets():
    assert host_name("127.0.0.1:7860") == "127.0.0.1"
    assert host_name("[::1]:7860") == "::1"
    assert host_name("::1") == "::1"
    assert host_name("Example.LAN") == "example.lan"


def test_a_wildcard_bind_allows_only_loopback_and_named_hosts(monkeypatch):
    monkeypatch.delenv(HOSTS_ENV, raising=False)
    assert allowed_hosts("0.0.0.0") == {"127.0.0.1", "localhost", "::1"}
    assert allowed_hosts("192.168.1.20", ["[fe80::1]"]) == {
        "127.0.0.1",
        "localhost",
        "::1",
        "192.168.1.20",
        "fe80::1",
    }
