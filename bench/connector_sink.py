"""A minimal Bot Connector for benchmarks: accepts every reply, counts them, answers fast."""

from __future__ import annotations

import argparse
import itertools

from aiohttp import web


def sink_app() -> web.Application:
    counter = itertools.count(1)
    app = web.Application()

    async def accept(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"id": f"r{next(counter)}"})

    async def count(_request: web.Request) -> web.Response:
        return web.json_response({"received": next(counter) - 1})

    app.router.add_post("/v3/conversations/{cid}/activities", accept)
    app.router.add_post("/v3/conversations/{cid}/activities/{aid}", accept)
    app.router.add_put("/v3/conversations/{cid}/activities/{aid}", accept)  # card updates
    app.router.add_get("/count", count)
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(sink_app(), host="127.0.0.1", port=args.port, print=None, access_log=None)
