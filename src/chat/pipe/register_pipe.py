"""Registers (or updates) the generated Pipe function in Open WebUI and makes sure it is active.

Environment: OPENWEBUI_URL, OPENWEBUI_API_KEY (an admin API key), FUNCTION_ID, FUNCTION_NAME, PIPE_FILE.
Only the standard library is used, so it runs in any Python 3 image.
"""

import json
import os
import sys
import urllib.error
import urllib.request


def call(base, key, method, path, body=None):
    request = urllib.request.Request(
        base.rstrip("/") + path,
        data=None if body is None else json.dumps(body).encode("utf-8"),
        method=method,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def register(base, key, function_id, name, content):
    form = {"id": function_id, "name": name, "content": content, "meta": {"description": "kagent agents over A2A (generated)", "manifest": {}}}
    status, existing = call(base, key, "GET", f"/api/v1/functions/id/{function_id}")
    if status == 200:
        status, result = call(base, key, "POST", f"/api/v1/functions/id/{function_id}/update", form)
        action = "updated"
    else:
        status, result = call(base, key, "POST", "/api/v1/functions/create", form)
        action = "created"
    if status != 200:
        raise SystemExit(f"{action[:-1]} of function {function_id} failed: HTTP {status}: {result}")
    status, current = call(base, key, "GET", f"/api/v1/functions/id/{function_id}")
    if status == 200 and not current.get("is_active"):
        status, _ = call(base, key, "POST", f"/api/v1/functions/id/{function_id}/toggle")
        if status != 200:
            raise SystemExit(f"activating function {function_id} failed: HTTP {status}")
    return action


def main():
    env = os.environ
    with open(env["PIPE_FILE"], encoding="utf-8") as source:
        content = source.read()
    action = register(env["OPENWEBUI_URL"], env["OPENWEBUI_API_KEY"], env.get("FUNCTION_ID", "kagent_agents"), env.get("FUNCTION_NAME", "kagent agents"), content)
    print(f"function {env.get('FUNCTION_ID', 'kagent_agents')} {action} and active")


if __name__ == "__main__":
    sys.exit(main())
