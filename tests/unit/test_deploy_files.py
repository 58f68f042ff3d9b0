"""deploy/ names the real entry points: compose's and the units' commands parse with the app's own CLI, Rasa's
with the project's model path, and the checked-in nginx files are what deploy/render_nginx.py renders now."""
from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import pytest
import yaml

from app.cli import _parser
from deploy.render_nginx import fill, render

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def app_args(command: list[str]) -> list[str]:
    """What follows `python -m app` in a command, checked to be exactly that."""
    assert command[1:3] == ["-m", "app"], command
    return command[3:]


def test_compose_runs_postgres_a_migration_two_rasa_servers_three_workers_and_nginx() -> None:
    services = compose()["services"]
    assert {"postgres", "migrate", "rasa1", "rasa2", "worker1", "worker2", "worker3", "nginx"} <= set(services)
    for name in ("worker1", "worker2", "worker3"):
        args = _parser().parse_args(app_args(services[name]["command"]))
        assert args.tool == "worker" and args.port == 8443
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert _parser().parse_args(app_args(services["migrate"]["command"])).tool == "migrate"
    assert services["nginx"]["volumes"][0].startswith("./nginx/compose.conf:")


def test_the_rasa_image_and_unit_serve_the_model_make_setup_trains() -> None:
    rasa_cmd = (DEPLOY / "Dockerfile.rasa").read_text()
    start = unit("baoxiu-rasa@.service")["Service"]["ExecStart"]
    for command in (rasa_cmd, start):
        assert "--enable-api" in command and "nlu/models/current.tar.gz" in command
    assert start.startswith("/opt/baoxiu/.venv-rasa/bin/rasa run")


def test_the_worker_and_migration_units_start_the_apps_own_commands() -> None:
    worker = unit("baoxiu-worker@.service")
    command = shlex.split(worker["Service"]["ExecStart"].replace("%i", "8444"))
    args = _parser().parse_args(app_args(command))
    assert (args.tool, args.port, args.config) == ("worker", 8444, "/etc/baoxiu/config.yml")
    assert "baoxiu-migrate.service" in worker["Unit"]["Requires"]
    assert worker["Service"]["KillSignal"] == "SIGTERM"
    migrate = shlex.split(unit("baoxiu-migrate.service")["Service"]["ExecStart"])
    assert _parser().parse_args(app_args(migrate)).tool == "migrate"
    assert "baoxiu-worker@8443.service" in unit("baoxiu.target")["Unit"]["Wants"]


def test_the_checked_in_nginx_files_are_the_template_rendered_for_compose_and_for_systemd() -> None:
    compose_conf = render(["worker1:8443", "worker2:8443", "worker3:8443"], ["rasa1:5005", "rasa2:5005"], "8080",
                          web=["worker1:9443", "worker2:9443", "worker3:9443"])
    systemd_conf = render(["127.0.0.1:8443", "127.0.0.1:8444", "127.0.0.1:8445"], ["127.0.0.1:5005", "127.0.0.1:5006"],
                          "127.0.0.1:8080", web=["127.0.0.1:9443", "127.0.0.1:9444", "127.0.0.1:9445"])
    assert (DEPLOY / "nginx" / "compose.conf").read_text().strip() == compose_conf.strip()
    assert (DEPLOY / "systemd" / "nginx-baoxiu.conf").read_text().strip() == systemd_conf.strip()
    assert "least_conn" in compose_conf and "location /telegram/" in compose_conf
    assert "hash $cookie_bx_session consistent" in compose_conf and "server worker2:9443" in compose_conf


def test_a_worker_serves_the_web_chat_on_its_port_plus_1000_unless_told() -> None:
    assert _parser().parse_args(["worker", "--port", "8443"]).web_port is None  # run_worker adds WEB_PORT_OFFSET
    assert _parser().parse_args(["worker", "--port", "8443", "--web-port", "9000"]).web_port == 9000
    from app.worker import WEB_PORT_OFFSET

    assert WEB_PORT_OFFSET == 1000


def test_the_front_has_no_placeholder_left_and_rejects_an_unfilled_one() -> None:
    rendered = render(["127.0.0.1:1"], [], "127.0.0.1:2", standalone="/tmp/x")
    assert re.search(r"@[A-Z_]+@", rendered) is None
    assert "server 127.0.0.1:9 down;" in rendered  # no Rasa server given: the upstream is still valid
    with pytest.raises(KeyError):
        fill("listen @LISTEN@; server @WORKERS@;", LISTEN="80")
