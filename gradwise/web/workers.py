"""Worker processes for the API: a request runs in a pebble process pool under a hard time limit, and a
worker that overruns it is killed and replaced, so a slow request never stalls the page. The live preview
has its own worker, so it answers while a long derivation runs."""
from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessExpired, ProcessPool

from gradwise.web import api

GRACE = 5.0  # seconds beyond the engines' own limit for rendering (Typst) before the worker is killed
READ_LIMIT = 3.0


class Workers:
    """Two pools: `work` for derivations (jobs processes), `reads` for the live preview (one process)."""

    def __init__(self, jobs: int = 2, limit: float = 20.0):
        self.limit = limit
        context = multiprocessing.get_context("spawn")  # no fork of the server's threads
        self.work = ProcessPool(max_workers=jobs, context=context, initializer=api.warm)
        self.reads = ProcessPool(max_workers=1, context=context, initializer=api.warm_reader)

    async def answer(self, name: str, request: dict) -> api.Reply:
        """The reply to POST /api/<name>, computed in a worker."""
        return await self._run(self.work, api.answer, (name, request, self.limit), self.limit + GRACE)

    async def read(self, request: dict) -> api.Reply:
        """The reply to POST /api/read, computed in the preview's worker."""
        return await self._run(self.reads, api.read, (request,), READ_LIMIT)

    async def _run(self, pool: ProcessPool, function, args: tuple, limit: float) -> api.Reply:
        future = pool.schedule(function, args=args, timeout=limit)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            return api.error_reply(f"gave up after {limit:g} seconds: the request takes too long")
        except ProcessExpired:
            return api.error_reply("the worker stopped while answering (out of memory?)", status=500)

    def close(self) -> None:
        """Stop the workers, killing any that still run."""
        for pool in (self.work, self.reads):
            pool.stop()
            pool.join(timeout=5)
