"""A real gradwise web server on 127.0.0.1 and a random free port, in a thread, for the web tests."""
from __future__ import annotations

import socket
import threading
from contextlib import contextmanager


@contextmanager
def running_server(jobs: int = 2, limit: float = 20.0):
    """Yield the base URL of a live server; stop it afterwards."""
    import uvicorn

    from gradwise.web.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(create_app(jobs=jobs, limit=limit), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    while not server.started and thread.is_alive():
        started.wait(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
