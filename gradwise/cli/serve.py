"""`gradwise serve`: the local web page (type mathematics, see it read, derived and checked)."""
from __future__ import annotations

import argparse
import socket
import sys
import threading
import webbrowser

from gradwise.errors import GradwiseError

INSTALL_HINT = "gradwise serve needs the web extra: pip install 'gradwise[web]'"
LOCAL = ("127.0.0.1", "localhost", "::1")


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="a local web page: type mathematics, see it read, derived and checked",
                              description="Serve the gradwise page on this machine (offline: nothing is loaded\n"
                                          "from the network) and its JSON API. Ctrl-C stops it.",
                              epilog="examples:\n  gradwise serve\n  gradwise serve --port 9000 --no-browser",
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default 127.0.0.1: only this machine can connect)")
    p.add_argument("--port", type=int, default=8765, help="the port (default 8765)")
    p.add_argument("--no-browser", action="store_true", help="do not open the page in a browser")
    p.add_argument("--jobs", "-j", type=int, default=2, metavar="N", help="worker processes (default 2)")
    p.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS",
                   help="the time limit of one request (default 20)")
    p.set_defaults(run=run, whole_timeout=False)   # --timeout bounds each request, not the server


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from gradwise.web.app import create_app
    except ImportError as exc:
        raise GradwiseError(f"{INSTALL_HINT} (missing: {exc.name})") from None
    if args.jobs < 1 or args.timeout <= 0:
        raise GradwiseError("--jobs must be at least 1 and --timeout positive")
    sock = _bind(args.host, args.port)
    port = sock.getsockname()[1]
    shown = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown}:{port}/"
    hosts = None
    if args.host not in LOCAL:
        print(f"warning: listening on {args.host}: other machines can reach this page and use its CPU",
              file=sys.stderr)
        hosts = ["*"]

    def ready() -> None:
        print(f"gradwise: {url} (Ctrl-C stops it)", file=sys.stderr)
        if not args.no_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    app = create_app(jobs=args.jobs, limit=args.timeout, allowed_hosts=hosts, on_ready=ready)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    server.run(sockets=[sock])
    return 0


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise GradwiseError(f"cannot listen on {host}:{port}: {exc.strerror} (try --port {port + 1})") from None
    sock.listen(128)
    return sock
