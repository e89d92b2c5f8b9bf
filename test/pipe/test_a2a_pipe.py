"""Drives the generated Open WebUI Pipe (dist/openwebui/a2a_pipe.py) against the kagent-like A2A server.

Run by test/pipe/pipe.test.ts once per server flavour; it sets A2A_TEST_URL, A2A_TEST_PROTOCOL (v0.3 = kagent 0.7,
negotiate = kagent 0.9, v1.0 = kagent 1.x; see test/support/kagent-like-a2a-server.ts), PIPE_FILE and REGISTER_FILE.
"""

import asyncio
import hashlib
import importlib.util
import json
import os
import socket
import unittest
import urllib.request

BASE = os.environ["A2A_TEST_URL"]
PROTOCOL = os.environ.get("A2A_TEST_PROTOCOL", "v0.3")
# The wire version the Pipe must pick from the agent card: 1.0 when the card offers it.
EXPECTED_VERSION = "0.3" if PROTOCOL == "v0.3" else "1.0"

# Open WebUI's default title prompt (backend/open_webui/config.py, DEFAULT_TITLE_GENERATION_PROMPT_TEMPLATE),
# rendered by utils/task.py title_generation_template: {{MESSAGES:END:2}} becomes "USER: …" / "ASSISTANT: …" lines.
DEFAULT_TITLE_TEMPLATE = """### Task:
Generate a concise, 3-5 word title with an emoji summarizing the chat history.
### Guidelines:
- The title should clearly represent the main theme or subject of the conversation.
- Use emojis that enhance understanding of the topic, but avoid quotation marks or special formatting.
- Write the title in the chat's primary language; default to English if multilingual.
- Prioritize accuracy over excessive creativity; keep it clear and simple.
- Your entire response must consist solely of the JSON object, without any introductory or concluding text.
- The output must be a single, raw JSON object, without any markdown code fences or other encapsulating text.
- Ensure no conversational text, affirmations, or explanations precede or follow the raw JSON output, as this will cause direct parsing failure.
### Output:
JSON format: { "title": "your concise title here" }
### Examples:
- { "title": "📉 Stock Market Trends" },
- { "title": "🍪 Perfect Chocolate Chip Recipe" },
- { "title": "Evolution of Music Streaming" },
- { "title": "Remote Work Productivity Tips" },
- { "title": "Artificial Intelligence in Healthcare" },
- { "title": "🎮 Video Game Development Insights" }
### Chat History:
<chat_history>
{{MESSAGES:END:2}}
</chat_history>"""


def load_pipe(**valves):
    spec = importlib.util.spec_from_file_location("a2a_pipe", os.environ["PIPE_FILE"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pipe = module.Pipe()
    pipe.valves = pipe.Valves(**{"A2A_BASE_URL": BASE + "/api/a2a", "TIMEOUT_SECONDS": 5.0, **valves})
    return module, pipe


def expected(agent, text, context):
    main = f'Agent {agent} answers "{text}" in context {context}. Done.'
    return "Let me check the cluster." + main if text.startswith("TOOL") else main


def received():
    """Every user message the agents received: {agent, contextId, text, partCount, userId}; `userId` is the
    x-user-id header, absent when none was sent."""
    with urllib.request.urlopen(BASE + "/_received") as response:
        return json.loads(response.read())


def requests():
    """Every JSON-RPC POST: {agent, version, method}; `version` is the handler the A2A-Version header chose."""
    with urllib.request.urlopen(BASE + "/_requests") as response:
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

    def test_chat_id_is_the_context_and_only_the_newest_message_is_sent_in_the_cards_version(self):
        before, before_requests = len(received()), len(requests())
        history = [{"role": "user", "content": "first"}, {"role": "assistant", "content": "a"}]
        self.ask(body("second", history=history), __metadata__={"chat_id": "conv-9"})
        self.assertEqual(received()[before:], [{"agent": "jairix", "contextId": "openwebui-conv-9", "text": "second", "partCount": 1, "userId": "open-webui-service"}])
        method = "SendStreamingMessage" if EXPECTED_VERSION == "1.0" else "message/stream"
        self.assertEqual(requests()[before_requests:], [{"agent": "jairix", "version": EXPECTED_VERSION, "method": method}])

    def test_falls_back_to_the_first_user_message_without_chat_id(self):
        history = [{"role": "user", "content": "plan the sprint"}, {"role": "assistant", "content": "ok"}]
        answer = self.ask(body("next", history=history), __metadata__={"chat_id": ""})
        ctx = "ctx-" + hashlib.sha256(b"plan the sprint").hexdigest()[:32]
        self.assertEqual(answer, expected("jairix", "next", ctx))

    def test_failed_run_is_a_readable_error(self):
        answer = self.ask(body("FAIL now"), __metadata__={"chat_id": "c6"})
        self.assertTrue(answer.endswith("⚠️ jairix failed: agent run failed: model provider returned 500"), answer)

    def test_approval_pause_is_explained(self):
        answer = self.ask(body("APPROVE delete"), __metadata__={"chat_id": "c6b"})
        self.assertTrue(answer.startswith("I need approval to delete the pod."), answer)
        self.assertTrue(answer.endswith("_The agent is waiting (input-required): approve or answer it in the kagent UI._"), answer)

    def test_a_stream_that_ends_without_a_final_status_is_reported_as_cut_off(self):
        answer = self.ask(body("CUTOFF please"), __metadata__={"chat_id": "c6c"})
        self.assertEqual(
            answer,
            "Working on it: step 1 of 3 done, "
            "\n\n⚠️ jairix's run was cut off: the connection ended before the agent finished, "
            "so this answer is incomplete. Ask again to continue.",
        )

    def test_stalled_agent_times_out(self):
        self.pipe.valves = self.pipe.Valves(A2A_BASE_URL=BASE + "/api/a2a", TIMEOUT_SECONDS=0.5)
        self.assertEqual(self.ask(body("STALL"), __metadata__={"chat_id": "c7"}), "\n\n⚠️ jairix did not answer within 0.5 s.")

    def test_the_timeout_valve_also_bounds_connecting(self):
        self.pipe.valves = self.pipe.Valves(A2A_BASE_URL="http://127.0.0.1:1/api/a2a", TIMEOUT_SECONDS=0.5)
        timeout = self.pipe._timeout()
        self.assertEqual((timeout.connect, timeout.read, timeout.write, timeout.pool), (0.5, 0.5, 0.5, 0.5))
        # A listener whose accept queue is full: the TCP handshake never completes, so only the timeout ends it.
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        fillers = []
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(listener.getsockname())
            fillers.append(filler)
        try:
            host, port = listener.getsockname()
            self.pipe.valves = self.pipe.Valves(A2A_BASE_URL=f"http://{host}:{port}/api/a2a", TIMEOUT_SECONDS=0.5, A2A_VERSION="0.3")
            self.assertEqual(self.ask(body("hi")), "\n\n⚠️ jairix did not answer within 0.5 s.")
        finally:
            for s in [*fillers, listener]:
                s.close()

    def test_unreachable_agent_is_a_readable_error(self):
        self.pipe.valves = self.pipe.Valves(A2A_BASE_URL="http://127.0.0.1:9/api/a2a", TIMEOUT_SECONDS=2.0)
        self.assertIn("⚠️ Cannot reach jairix", self.ask(body("hi")))

    def test_unknown_model(self):
        self.assertEqual(self.ask(body("hi", model="kagent_agents.nobody")), "⚠️ Unknown agent model kagent_agents.nobody")


def recall_answer(earlier):
    """The kagent-like server's answer to RECALL: what the session (same user, same context) heard before."""
    return "I remember: " + (", ".join(json.dumps(t) for t in earlier) if earlier else "nothing yet") + "."


ALICE = {"id": "a1b2c3d4-0000-4000-8000-00000000000a", "email": "alice@lab.example", "name": "Alice", "role": "user"}
BOB = {"id": "b1b2c3d4-0000-4000-8000-00000000000b", "email": "bob@lab.example", "name": "Bob", "role": "user"}


class IdentityTest(unittest.TestCase):
    """The signed-in user (`__user__`) reaches kagent as x-user-id, so kagent keeps each user's sessions apart."""

    def ask(self, text, user, chat_id, **valves):
        _, pipe = load_pipe(**valves)
        kwargs = {"__metadata__": {"chat_id": chat_id}}
        if user is not None:
            kwargs["__user__"] = user
        return asyncio.run(run(pipe, body(text), **kwargs))

    def test_the_valves_default_to_the_e_mail_and_the_service_identity(self):
        _, pipe = load_pipe()
        self.assertEqual((pipe.valves.USER_ID_FROM, pipe.valves.SERVICE_USER_ID), ("email", "open-webui-service"))

    def test_two_users_in_the_same_chat_get_separate_sessions_and_neither_sees_the_other(self):
        before = len(received())
        self.ask("my plan is 4722", ALICE, "shared-chat")
        self.assertEqual(self.ask("RECALL", BOB, "shared-chat"), recall_answer([]))
        self.assertEqual(self.ask("RECALL", ALICE, "shared-chat"), recall_answer(["my plan is 4722"]))
        self.assertEqual([r["userId"] for r in received()[before:]], ["alice@lab.example", "bob@lab.example", "alice@lab.example"])

    def test_the_user_id_valve_sends_the_id_and_never_the_e_mail_instead(self):
        before = len(received())
        self.ask("hi", ALICE, "by-id", USER_ID_FROM="id")
        self.ask("hi", {"email": "bob@lab.example"}, "by-id", USER_ID_FROM="id", SERVICE_USER_ID="chat-service")
        self.assertEqual([r["userId"] for r in received()[before:]], [ALICE["id"], "chat-service"])

    def test_without_a_user_the_service_identity_never_someone_who_came_before(self):
        self.ask("alice was here 4723", ALICE, "no-user")
        before = len(received())
        self.assertEqual(self.ask("RECALL", None, "no-user"), recall_answer([]))
        self.ask("hi", {"email": "  "}, "no-user")
        self.assertEqual([r["userId"] for r in received()[before:]], ["open-webui-service", "open-webui-service"])


class WireVersionTest(unittest.TestCase):
    """The A2A_VERSION valve forces a version; the A2A-Version header tells kagent which handler to use."""

    def ask(self, text, **valves):
        _, pipe = load_pipe(**valves)
        before = len(requests())
        answer = asyncio.run(run(pipe, body(text), __metadata__={"chat_id": "wire-" + text}))
        return answer, [(r["version"], r["method"]) for r in requests()[before:]]

    def test_forcing_0_3(self):
        answer, versions = self.ask("old wire", A2A_VERSION="0.3")
        if PROTOCOL == "v1.0":
            # kagent 1.x rejects a request without `A2A-Version: 1.0` with HTTP 400.
            self.assertTrue(answer.startswith("\n\n⚠️ jairix failed: ") and "answered HTTP 400 to A2A 0.3" in answer, answer)
            self.assertEqual(versions, [])
        else:
            self.assertEqual(answer, expected("jairix", "old wire", "openwebui-wire-old wire"))
            self.assertEqual(versions, [("0.3", "message/stream")])

    def test_forcing_1_0(self):
        answer, versions = self.ask("new wire", A2A_VERSION="1.0")
        if PROTOCOL == "v0.3":
            # kagent 0.7 ignores the header and its v0.3 handler does not know SendStreamingMessage.
            self.assertTrue(answer.startswith("\n\n⚠️ jairix failed: agent error -32601: "), answer)
            self.assertEqual(versions, [("0.3", "SendStreamingMessage")])
        else:
            self.assertEqual(answer, expected("jairix", "new wire", "openwebui-wire-new wire"))
            self.assertEqual(versions, [("1.0", "SendStreamingMessage")])

    def test_auto_reads_the_card_once_per_agent(self):
        module, pipe = load_pipe()
        asyncio.run(run(pipe, body("one"), __metadata__={"chat_id": "card-1"}))
        asyncio.run(run(pipe, body("two"), __metadata__={"chat_id": "card-2"}))
        self.assertEqual(pipe._versions, {BASE + "/api/a2a/kagent/jairix/": EXPECTED_VERSION})
        self.assertEqual(module.speaks_v1({"supportedInterfaces": [{"protocolBinding": "JSONRPC", "protocolVersion": "1.0"}]}), True)
        self.assertEqual(module.speaks_v1({"protocolVersion": "0.3.0", "url": "x"}), False)


class BackgroundTaskTest(unittest.TestCase):
    """Open WebUI's background tasks (routers/tasks.py): the task prompt is the only message, the chat is in
    `__task_body__["messages"]`, and the answer must never reach the agent."""

    def setUp(self):
        self.module, self.pipe = load_pipe()
        self.chat = [
            {"role": "user", "content": "Haal story 78018 op uit Azure DevOps"},
            {"role": "assistant", "content": "Story 78018: Login met SSO"},
        ]
        prompt = DEFAULT_TITLE_TEMPLATE.replace(
            "{{MESSAGES:END:2}}", "USER: Haal story 78018 op uit Azure DevOps\nASSISTANT: Story 78018: Login met SSO"
        )
        self.task_request = {"model": "kagent_agents.jairix", "messages": [{"role": "user", "content": prompt}], "stream": False}

    def task(self, name, task_body):
        return asyncio.run(run(self.pipe, self.task_request, __task__=name, __task_body__=task_body, __metadata__={"chat_id": "c5"}))

    def test_title_comes_from_the_chat_in_the_task_body_not_from_the_task_prompt(self):
        before = len(received())
        title = self.task("title_generation", {"model": "kagent_agents.jairix", "messages": self.chat, "chat_id": "c5"})
        self.assertEqual(json.loads(title), {"title": "Haal story 78018 op uit Azure"})
        self.assertEqual(len(received()), before)

    def test_title_without_task_body_comes_from_the_history_inside_the_prompt(self):
        title = json.loads(self.task("title_generation", None))["title"]
        self.assertEqual(title, "Haal story 78018 op uit Azure")
        self.assertFalse(title.startswith("###"))

    def test_tags_follow_ups_and_queries_are_answered_locally(self):
        before = len(received())
        task_body = {"messages": self.chat}
        self.assertEqual(json.loads(self.task("tags_generation", task_body)), {"tags": ["agents"]})
        self.assertEqual(json.loads(self.task("follow_up_generation", task_body)), {"follow_ups": []})
        self.assertEqual(json.loads(self.task("query_generation", task_body)), {"queries": []})
        self.assertEqual(len(received()), before)


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
