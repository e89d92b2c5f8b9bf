"""Keeps Open WebUI's per-agent model access in step with Git (the platform's `access` settings).

Environment: OPENWEBUI_URL, OPENWEBUI_API_KEY (an admin API key), ACCESS_FILE (the JSON the platform renders):
  {"groups": ["research"], "models": [{"id": "research/scout", "name": "research/scout", "groups": ["research"]}, ...]}

For Open WebUI 0.11 (`routers/groups.py`, `routers/models.py`, `models/access_grants.py`):
- every group of `groups` that does not exist is created (`POST /api/v1/groups/create`); groups are matched by
  name, and their members are not touched: membership stays Open WebUI's (or its SSO's);
- every model gets exactly these read grants (`POST /api/v1/models/model/access/update`, which also creates the
  model's entry): one per group (`principal_type: group`), or, for a model without groups, the public read
  grant (`principal_type: user`, `principal_id: *`), since Open WebUI shows a connection or Pipe model without
  an entry to admins only.
A run that finds everything in place makes no write request and prints "access unchanged".
Only the standard library is used, so it runs in any Python 3 image.
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

PUBLIC = ("user", "*", "read")
DESCRIPTION = "Managed by agent-platform-cdk8s (members are managed in Open WebUI or its SSO)"


class OpenWebUi:
    def __init__(self, base, key):
        self.base = base.rstrip("/")
        self.key = key
        self.writes = 0

    def call(self, method, path, body=None):
        if method != "GET":
            self.writes += 1
        request = urllib.request.Request(
            self.base + path,
            data=None if body is None else json.dumps(body).encode("utf-8"),
            method=method,
            headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")[:300]


def group_ids(api, names):
    """Each wanted group's id, creating the missing ones; fails on a name two groups share."""
    status, groups = api.call("GET", "/api/v1/groups/")
    if status != 200 or not isinstance(groups, list):
        raise SystemExit(f"listing groups failed: HTTP {status}: {groups}")
    ids, lines = {}, []
    for name in names:
        same = [g["id"] for g in groups if g.get("name") == name]
        if len(same) > 1:
            raise SystemExit(f'{len(same)} Open WebUI groups are named "{name}"; rename or delete all but one (Admin > Users > Groups)')
        if same:
            ids[name] = same[0]
            continue
        status, created = api.call("POST", "/api/v1/groups/create", {"name": name, "description": DESCRIPTION})
        if status != 200 or not isinstance(created, dict) or not created.get("id"):
            raise SystemExit(f'creating group "{name}" failed: HTTP {status}: {created}')
        ids[name] = created["id"]
        lines.append(f'group "{name}" created')
    return ids, lines


def current_grants(api, model_id):
    """The model's grants as (type, id, permission) triples, or None when Open WebUI has no entry for it."""
    status, model = api.call("GET", "/api/v1/models/model?" + urllib.parse.urlencode({"id": model_id}))
    if status == 404:
        return None
    if status != 200 or not isinstance(model, dict):
        raise SystemExit(f'reading model "{model_id}" failed: HTTP {status}: {model}')
    return {(g["principal_type"], g["principal_id"], g["permission"]) for g in model.get("access_grants") or []}


def sync(api, wanted):
    ids, lines = group_ids(api, wanted.get("groups", []))
    for model in wanted.get("models", []):
        groups = model.get("groups") or []
        missing = [g for g in groups if g not in ids]
        if missing:
            raise SystemExit(f'model "{model["id"]}" names groups {missing} that are not in "groups"')
        desired = {("group", ids[g], "read") for g in groups} if groups else {PUBLIC}
        current = current_grants(api, model["id"])
        if current == desired:
            continue
        grants = [{"principal_type": t, "principal_id": p, "permission": perm} for (t, p, perm) in sorted(desired)]
        status, result = api.call("POST", "/api/v1/models/model/access/update", {"id": model["id"], "name": model.get("name") or model["id"], "access_grants": grants})
        if status != 200:
            raise SystemExit(f'setting the access of model "{model["id"]}" failed: HTTP {status}: {result}')
        who = ", ".join(f'group "{g}"' for g in groups) if groups else "every user"
        lines.append(f'model "{model["id"]}" {"created" if current is None else "updated"}: readable by {who}')
    return lines


def main():
    env = os.environ
    with open(env["ACCESS_FILE"], encoding="utf-8") as source:
        wanted = json.load(source)
    api = OpenWebUi(env["OPENWEBUI_URL"], env["OPENWEBUI_API_KEY"])
    lines = sync(api, wanted)
    for line in lines:
        print(line)
    print(f"access updated: {api.writes} change(s)" if api.writes else "access unchanged")


if __name__ == "__main__":
    sys.exit(main())
