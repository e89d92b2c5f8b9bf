"""Stand-in for kagent's controller MCP endpoint (`/mcp`, go/internal/mcp/mcp_handler.go), for the Open WebUI
kagent MCP test. Not kagent: a real MCP server over streamable HTTP (the Python `mcp` SDK from the kagent-adk
virtualenv) that offers the controller's two tools, `list_agents` and `invoke_agent`, and records every HTTP
request it gets: method, path, all headers, and the JSON-RPC method(s) of the body. `invoke_agent` answers with the
`x-user-id` it received, as kagent keys the session it starts by that header.

`GET /requests` returns the record as JSON (the test's own calls to /requests and /health are not recorded).

Usage: python kagent-controller-mcp-stand-in.py <port>   (listens on 127.0.0.1 only, serves MCP at /mcp)
"""

import json
import sys

import uvicorn
from mcp.server.fastmcp import Context, FastMCP
from starlette.requests import Request
from starlette.responses import JSONResponse

PORT = int(sys.argv[1])
REQUESTS: list[dict] = []
AGENTS = [{"ref": "kagent/helpdesk", "description": "Answers questions"}, {"ref": "kagent/azure-devops", "description": "Senior PO agent"}]

server = FastMCP("kagent-controller-mcp-stand-in", host="127.0.0.1", port=PORT, log_level="WARNING")


@server.tool(name="list_agents", description="List the kagent agents. (Stand-in for kagent's controller MCP.)")
def list_agents() -> str:
    return json.dumps({"agents": AGENTS})


@server.tool(name="invoke_agent", description="Hand a kagent agent a task. (Stand-in for kagent's controller MCP.)")
def invoke_agent(agent: str, task: str, ctx: Context) -> str:
    request = ctx.request_context.request
    user = request.headers.get("x-user-id") if request is not None else None
    return json.dumps({"agent": agent, "task": task, "x-user-id": user})


@server.custom_route("/requests", methods=["GET"])
async def requests(_request: Request) -> JSONResponse:
    return JSONResponse(REQUESTS)


@server.custom_route("/health", methods=["GET"])
async def health(_request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


def rpc_methods(body: bytes) -> list:
    try:
        message = json.loads(body or b"null")
    except ValueError:
        return []
    messages = message if isinstance(message, list) else [message]
    return [m.get("method") or ("response" if "result" in m or "error" in m else None) for m in messages if isinstance(m, dict)]


def recording(app):
    """Records each HTTP request to /mcp (headers as sent, body's JSON-RPC methods) before the MCP app handles it."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http" or scope["path"] in ("/requests", "/health"):
            return await app(scope, receive, send)
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        entry = {
            "method": scope["method"],
            "path": scope["path"],
            "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
            "rpc": rpc_methods(body) if scope["method"] == "POST" else [],
        }
        REQUESTS.append(entry)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def status(message):
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
                issued = dict(message.get("headers") or []).get(b"mcp-session-id")
                if issued:
                    entry["issuedSession"] = issued.decode("latin-1")
            await send(message)

        return await app(scope, replay, status)

    return wrapped


if __name__ == "__main__":
    uvicorn.run(recording(server.streamable_http_app()), host="127.0.0.1", port=PORT, log_level="warning")
