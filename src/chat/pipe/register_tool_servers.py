"""Keeps Open WebUI's tool-server connections in step with Git: inserts or replaces ours (by `info.id`) and writes
the list back only when something changed. Other connections (added in the admin UI) are left alone.

Open WebUI seeds TOOL_SERVER_CONNECTIONS from the environment only until the value is in its database, so a
change in Git reaches a running instance only through the admin API (routers/configs.py):
GET /api/v1/configs/tool_servers and POST /api/v1/configs/tool_servers, body {"TOOL_SERVER_CONNECTIONS": [...]}.

Environment: OPENWEBUI_URL, OPENWEBUI_API_KEY (an admin API key), TOOL_SERVERS_FILE (a JSON list of connections).
Only the standard library is used, so it runs in any Python 3 image.
"""

import json
import os
import sys
import urllib.error
import urllib.request

ROUTE = "/api/v1/configs/tool_servers"


def call(base, key, method, path, body=None):
    request = urllib.request.Request(
        base.rstrip("/") + path,
        data=None if body is None else json.dumps(body).encode("utf-8"),
        method=method,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def server_id(connection):
    return (connection.get("info") or {}).get("id")


def matches(current, desired):
    """True when every field we manage has our value (Open WebUI adds defaults such as `headers: null`)."""
    return all(current.get(field) == value for field, value in desired.items())


def merge(existing, desired):
    """`existing` with each desired connection replacing the one with its `info.id`, or appended."""
    merged = list(existing)
    for connection in desired:
        index = next((i for i, c in enumerate(merged) if server_id(c) == server_id(connection)), None)
        if index is None:
            merged.append(connection)
        elif not matches(merged[index], connection):
            merged[index] = connection
    return merged


def sync(base, key, desired):
    """Returns "unchanged" or "updated"; raises SystemExit with the HTTP status on failure."""
    status, current = call(base, key, "GET", ROUTE)
    if status != 200:
        raise SystemExit(f"reading tool servers failed: HTTP {status}: {current}")
    existing = current.get("TOOL_SERVER_CONNECTIONS") or []
    merged = merge(existing, desired)
    if merged == existing:
        return "unchanged"
    status, result = call(base, key, "POST", ROUTE, {"TOOL_SERVER_CONNECTIONS": merged})
    if status != 200:
        raise SystemExit(f"writing tool servers failed: HTTP {status}: {result}")
    return "updated"


def main():
    env = os.environ
    with open(env["TOOL_SERVERS_FILE"], encoding="utf-8") as source:
        desired = json.load(source)
    action = sync(env["OPENWEBUI_URL"], env["OPENWEBUI_API_KEY"], desired)
    print(f"tool servers {', '.join(server_id(c) for c in desired)} {action}")


if __name__ == "__main__":
    sys.exit(main())
