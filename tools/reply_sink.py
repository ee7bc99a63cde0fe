"""A stand-in Bot Connector for trying the bot with curl: prints every reply the bot sends."""

import sys

from aiohttp import web

READABLE = ("text", "title", "value")  # message text; card text blocks, facts, buttons


def texts(node):
    if isinstance(node, dict):
        own = [node[k] for k in READABLE if isinstance(node.get(k), str)]
        return own + [t for k, v in node.items() if k not in READABLE for t in texts(v)]
    return [t for v in node for t in texts(v)] if isinstance(node, list) else []


async def reply(request: web.Request) -> web.Response:
    activity = await request.json() if request.can_read_body else {}
    print(f"[{activity.get('type')}]", " | ".join(dict.fromkeys(texts(activity))), flush=True)
    return web.json_response({"id": "sink-1"})


app = web.Application()
app.router.add_route("*", "/v3/conversations/{tail:.*}", reply)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]) if sys.argv[1:] else 3979)
