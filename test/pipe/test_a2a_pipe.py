"""Drives the generated Open WebUI Pipe (dist/openwebui/a2a_pipe.py) against the kagent-like A2A server.

Run by test/pipe/pipe.test.ts, which starts the server and sets A2A_TEST_URL and PIPE_FILE.
"""

import asyncio
import hashlib
import importlib.util
import json
import os
import unittest
import urllib.request

BASE = os.environ["A2A_TEST_URL"]


def load_pipe():
    spec = importlib.util.spec_from_file_location("a2a_pipe", os.environ["PIPE_FILE"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pipe = module.Pipe()
    pipe.valves = pipe.Valves(A2A_BASE_URL=BASE + "/api/a2a", TIMEOUT_SECONDS=5.0)
    return module, pipe


def expected(agent, text, context):
    main = f'Agent {agent} answers "{text}" in context {context}. Done.'
    return "Let me check the cluster." + main if text.startswith("TOOL") else main


def received():
    with urllib.request.urlopen(BASE + "/_received") as response:
        return json.loads(response.read())


def body(text, model="kagent_agents.jairix", stream=True, history=()):
    messages = [*history, {"role": "user", "content": text}]
    return {"model": model, "messages": messages, "stream": stream}


async def run(pipe, request, **kwargs):
    result = await pipe.pipe(request, **kwargs)
    if isinstance(result, str):
        return result
    return "".join([piece async for piece in result])


class PipeTest(unittest.TestCase):
    def setUp(self):
        self.module, self.pipe = load_pipe()

    def ask(self, request, **kwargs):
        return asyncio.run(run(self.pipe, request, **kwargs))

    def test_manifold_lists_every_agent(self):
        self.assertEqual([p["id"] for p in self.pipe.pipes()], ["jairix", "azure-devops", "my-first-k8s-agent", "research", "grafana"])
        self.assertEqual(self.pipe.type, "manifold")

    def test_streams_exactly_the_agent_text(self):
        answer = self.ask(body("Haal story 78018 op"), __metadata__={"chat_id": "c1"})
        self.assertEqual(answer, expected("jairix", "Haal story 78018 op", "openwebui-c1"))

    def test_non_streaming_returns_the_same_text(self):
        answer = self.ask(body("hello", model="kagent_agents.azure-devops", stream=False), __metadata__={"chat_id": "c2"})
        self.assertEqual(answer, expected("azure-devops", "hello", "openwebui-c2"))

    def test_drops_echo_and_full_text_repeat_around_tools_and_reports_tools_as_status(self):
        events = []

        async def emit(event):
            events.append(event)

        answer = self.ask(body("TOOL pods"), __metadata__={"chat_id": "c3"}, __event_emitter__=emit)
        self.assertEqual(answer, expected("jairix", "TOOL pods", "openwebui-c3"))
        descriptions = [e["data"]["description"] for e in events if e["type"] == "status"]
        self.assertIn("Calling tool k8s_get_resources", descriptions)
        self.assertIn("Tool finished: k8s_get_resources", descriptions)
        self.assertTrue(events[-1]["data"]["done"])

    def test_model_without_streaming(self):
        self.assertEqual(self.ask(body("NOSTREAM x"), __metadata__={"chat_id": "c4"}), expected("jairix", "NOSTREAM x", "openwebui-c4"))

    def test_chat_id_is_the_context_and_only_the_newest_message_is_sent(self):
        before = len(received())
        history = [{"role": "user", "content": "first"}, {"role": "assistant", "content": "a"}]
        self.ask(body("second", history=history), __metadata__={"chat_id": "conv-9"})
        self.assertEqual(received()[before:], [{"agent": "jairix", "contextId": "openwebui-conv-9", "text": "second", "partCount": 1}])

    def test_falls_back_to_the_first_user_message_without_chat_id(self):
        history = [{"role": "user", "content": "plan the sprint"}, {"role": "assistant", "content": "ok"}]
        answer = self.ask(body("next", history=history), __metadata__={"chat_id": ""})
        ctx = "ctx-" + hashlib.sha256(b"plan the sprint").hexdigest()[:32]
        self.assertEqual(answer, expected("jairix", "next", ctx))

    def test_background_tasks_never_reach_the_agent(self):
        before = len(received())
        title = self.ask(body("Haal story 78018 op uit Azure DevOps"), __task__="title_generation", __metadata__={"chat_id": "c5"})
        self.assertEqual(json.loads(title), {"title": "Haal story 78018 op uit Azure"})
        self.assertEqual(json.loads(self.ask(body("x"), __task__="tags_generation")), {"tags": ["agents"]})
        self.assertEqual(json.loads(self.ask(body("x"), __task__="follow_up_generation")), {"follow_ups": []})
        self.assertEqual(len(received()), before)

    def test_failed_run_is_a_readable_error(self):
        answer = self.ask(body("FAIL now"), __metadata__={"chat_id": "c6"})
        self.assertTrue(answer.endswith("⚠️ jairix failed: agent run failed: model provider returned 500"), answer)

    def test_stalled_agent_times_out(self):
        self.pipe.valves = self.pipe.Valves(A2A_BASE_URL=BASE + "/api/a2a", TIMEOUT_SECONDS=0.5)
        self.assertEqual(self.ask(body("STALL"), __metadata__={"chat_id": "c7"}), "\n\n⚠️ jairix did not answer within 0.5 s.")

    def test_unreachable_agent_is_a_readable_error(self):
        self.pipe.valves = self.pipe.Valves(A2A_BASE_URL="http://127.0.0.1:9/api/a2a", TIMEOUT_SECONDS=2.0)
        self.assertIn("⚠️ Cannot reach jairix", self.ask(body("hi")))

    def test_unknown_model(self):
        self.assertEqual(self.ask(body("hi", model="kagent_agents.nobody")), "⚠️ Unknown agent model kagent_agents.nobody")


class FakeOpenWebUI:
    """Open WebUI's function routes, enough for the registration script: create, get, update, toggle."""

    def __init__(self):
        import http.server
        import threading

        self.functions = {}
        self.calls = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                fake.calls.append(("GET", self.path, self.headers.get("Authorization")))
                fid = self.path.rsplit("/", 1)[-1]
                if fid in fake.functions:
                    return self.reply(200, fake.functions[fid])
                return self.reply(404, {"detail": "not found"})

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                form = json.loads(self.rfile.read(length) or b"null")
                fake.calls.append(("POST", self.path, self.headers.get("Authorization")))
                if self.path == "/api/v1/functions/create":
                    fake.functions[form["id"]] = {**form, "is_active": False}
                    return self.reply(200, fake.functions[form["id"]])
                fid = self.path.split("/")[5]
                if self.path.endswith("/update"):
                    fake.functions[fid].update(content=form["content"])
                    return self.reply(200, fake.functions[fid])
                if self.path.endswith("/toggle"):
                    fake.functions[fid]["is_active"] = not fake.functions[fid]["is_active"]
                    return self.reply(200, fake.functions[fid])
                return self.reply(404, {})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


class RegisterTest(unittest.TestCase):
    def setUp(self):
        spec = importlib.util.spec_from_file_location("register_pipe", os.environ["REGISTER_FILE"])
        self.module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.module)
        self.fake = FakeOpenWebUI()
        self.addCleanup(self.fake.server.shutdown)

    def test_creates_then_activates_the_function(self):
        self.assertEqual(self.module.register(self.fake.url, "admin-key", "kagent_agents", "kagent agents", "print(1)"), "created")
        self.assertEqual(self.fake.functions["kagent_agents"]["content"], "print(1)")
        self.assertTrue(self.fake.functions["kagent_agents"]["is_active"])
        self.assertTrue(all(auth == "Bearer admin-key" for _, _, auth in self.fake.calls))

    def test_updates_an_existing_function_and_keeps_it_active(self):
        self.module.register(self.fake.url, "k", "kagent_agents", "kagent agents", "v1")
        self.assertEqual(self.module.register(self.fake.url, "k", "kagent_agents", "kagent agents", "v2"), "updated")
        self.assertEqual(self.fake.functions["kagent_agents"]["content"], "v2")
        self.assertTrue(self.fake.functions["kagent_agents"]["is_active"])


if __name__ == "__main__":
    unittest.main()
