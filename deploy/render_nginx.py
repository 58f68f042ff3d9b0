"""Render deploy/nginx/baoxiu.conf.template: `python3 deploy/render_nginx.py --worker 127.0.0.1:8095 ... --rasa
127.0.0.1:5005 --listen 8080 --path /telegram/` prints the http-context snippet; `--standalone PREFIX` prints a
whole nginx.conf (events, pid, temp paths under PREFIX) for running nginx by hand or in the tests."""
from __future__ import annotations

import argparse
from pathlib import Path
import re

TEMPLATE = Path(__file__).parent / "nginx" / "baoxiu.conf.template"
STANDALONE = """worker_processes 1;
pid @PREFIX@/nginx.pid;
error_log @PREFIX@/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path @PREFIX@/body;
    proxy_temp_path @PREFIX@/proxy;
    fastcgi_temp_path @PREFIX@/fastcgi;
    uwsgi_temp_path @PREFIX@/uwsgi;
    scgi_temp_path @PREFIX@/scgi;
@BODY@
}
"""


DOWN = "    server 127.0.0.1:9 down;"


def render(workers: list[str], rasa: list[str], listen: str, path: str = "/telegram/",
           standalone: str | None = None, web: list[str] | None = None) -> str:
    """`workers`, `rasa` and `web` (the workers' web chat ports) are host:port; an upstream with no server gets one
    marked down, so the front is valid without Rasa or the web chat."""
    servers = lambda hosts: "\n".join(f"    server {h} max_fails=1 fail_timeout=2s;" for h in hosts)  # noqa: E731
    body = fill(TEMPLATE.read_text(), WORKERS=servers(workers), RASA=servers(rasa) or DOWN,
                WEB=servers(web or []) or DOWN,
                LISTEN=listen, WEBHOOK_PATH=path)
    return body if standalone is None else fill(STANDALONE, PREFIX=standalone, BODY=body)


def fill(text: str, **values: str) -> str:
    """@NAME@ placeholders (nginx's own variables use $); one left unfilled is an error, not a silent hole."""
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise KeyError(f"unfilled placeholders: {left}")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker", action="append", default=[], required=True, help="host:port, repeat")
    parser.add_argument("--rasa", action="append", default=[], help="host:port, repeat")
    parser.add_argument("--web", action="append", default=[], help="a worker's web chat host:port, repeat")
    parser.add_argument("--listen", default="127.0.0.1:8080")
    parser.add_argument("--path", default="/telegram/")
    parser.add_argument("--standalone", metavar="PREFIX", help="a whole nginx.conf with its files under PREFIX")
    args = parser.parse_args()
    print(render(args.worker, args.rasa, args.listen, args.path, args.standalone, args.web))


if __name__ == "__main__":
    main()
