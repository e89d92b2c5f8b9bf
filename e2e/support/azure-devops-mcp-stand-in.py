"""Stand-in for the Azure DevOps MCP server (`@azure-devops/mcp`), for the kagent-adk approval test.

A real MCP server over streamable HTTP (the Python `mcp` SDK that kagent-adk itself depends on), offering two of
the Azure DevOps server's tool names: `wit_work_item` (reads) and `wit_work_item_write` (changes things, so the
agent must ask before it runs). Nothing is sent to Azure DevOps: every call is recorded, and `GET /calls` returns
the record as JSON so the test can tell whether a tool ran, how often and with which arguments.

Usage: python azure-devops-mcp-stand-in.py <port>   (listens on 127.0.0.1 only, serves MCP at /mcp)
"""

import json
import sys

from mcp.server.fastmcp import FastMCP
from starlette.requests import Request
from starlette.responses import JSONResponse

PORT = int(sys.argv[1])
CALLS: list[dict] = []

server = FastMCP("azure-devops-mcp-stand-in", host="127.0.0.1", port=PORT, stateless_http=True, log_level="WARNING")


@server.tool(name="wit_work_item", description="Read work items: get one by id. (Stand-in for Azure DevOps MCP.)")
def wit_work_item(project: str, id: int) -> str:
    CALLS.append({"tool": "wit_work_item", "args": {"project": project, "id": id}})
    return json.dumps({"id": id, "project": project, "fields": {"System.Title": "Stand-in work item"}})


@server.tool(
    name="wit_work_item_write",
    description="Write operations for work items: create a work item. (Stand-in for Azure DevOps MCP.)",
)
def wit_work_item_write(project: str, workItemType: str, title: str) -> str:
    CALLS.append({"tool": "wit_work_item_write", "args": {"project": project, "workItemType": workItemType, "title": title}})
    return json.dumps({"id": 4711, "project": project, "workItemType": workItemType, "title": title, "state": "New"})


@server.custom_route("/calls", methods=["GET"])
async def calls(_request: Request) -> JSONResponse:
    return JSONResponse(CALLS)


@server.custom_route("/health", methods=["GET"])
async def health(_request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


if __name__ == "__main__":
    server.run(transport="streamable-http")
