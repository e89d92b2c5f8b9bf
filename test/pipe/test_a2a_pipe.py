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


def tool_calls():
    """Every write-tool call that ran on the kagent-like server: {agent, name, args, contextId, userId}."""
    with urllib.request.urlopen(BASE + "/_tool_calls") as response:
        return json.loads(response.read())


def decisions():
    """Every well-formed approval decision the server received: {agent, taskId, contextId, decision, reason?}."""
    with urllib.request.urlopen(BASE + "/_decisions") as response:
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


# The kagent-like server's write tool (test/support/kagent-like-a2a-server.ts): `WRITE <title>` to azure-devops.
WRITE_TOOL = "wit_create_work_item"
FIRST_WORK_ITEM_ID = 4711


def write_args(title):
    return {"project": "Lab", "workItemType": "User Story", "title": title}


def question(title):
    """The exact answer that pauses for approval: the agent's intro, then the Pipe's question."""
    args = json.dumps(write_args(title), separators=(",", ":"))
    return f"I will create the work item.\n\nThe agent wants to run `{WRITE_TOOL}` with `{args}`. Reply **yes** to approve or **no** to reject."


def approved(work_item, title):
    return f'Created User Story {work_item} "{title}" in project Lab.'


def rejected(reason=None):
    return "Understood, I did not create the work item." + (f" Your reason: {reason}" if reason else "")


NOT_RUN = f"\n\n`{WRITE_TOOL}` was not run: you rejected it."
NOT_RUN_WITH_REASON = f"\n\n`{WRITE_TOOL}` was not run: your reply was not **yes**, so it went to the agent as the reason for rejecting it."


class ApprovalTest(unittest.TestCase):
    """A write tool marked requireApproval pauses kagent's task (kagent-adk's wire format, played by the server); the
    Pipe asks in the chat and sends the user's reply to the question on that task as the decision. The server fails a
    decision of the wrong shape, so these tests fail for a Pipe that sends one."""

    def setUp(self):
        self.module, self.pipe = load_pipe()

    def say(self, text, chat, stream=True, user=ALICE, history=(), **kwargs):
        request = body(text, model="kagent_agents.azure-devops", stream=stream, history=history)
        return asyncio.run(run(self.pipe, request, __user__=user, __metadata__={"chat_id": chat}, **kwargs))

    def pause(self, title, chat, stream=True, user=ALICE, **kwargs):
        """Asks for `WRITE <title>` and checks the question; returns the history (as Open WebUI sends it) of a reply."""
        asked = self.say(f"WRITE {title}", chat, stream, user, **kwargs)
        self.assertEqual(asked, question(title))
        return [{"role": "user", "content": f"WRITE {title}"}, {"role": "assistant", "content": asked}]

    def test_yes_runs_the_tool_once_and_answers_with_its_result_streamed_or_not(self):
        for stream in (True, False):
            with self.subTest(stream=stream):
                chat, title = f"approve-{stream}", f"Login met SSO {stream}"
                before = len(tool_calls())
                history = self.pause(title, chat, stream)
                self.assertEqual(len(tool_calls()), before)
                self.assertEqual(self.say(" Yes ", chat, stream, history=history), approved(FIRST_WORK_ITEM_ID + before, title))
                self.assertEqual(tool_calls()[before:], [
                    {"agent": "azure-devops", "name": WRITE_TOOL, "args": write_args(title), "contextId": f"openwebui-{chat}", "userId": ALICE["email"]},
                ])
                last = decisions()[-1]
                self.assertEqual((last["contextId"], last["decision"], "reason" in last), (f"openwebui-{chat}", "approve", False))

    def test_no_never_runs_the_tool_and_says_the_call_was_not_made(self):
        for stream in (True, False):
            with self.subTest(stream=stream):
                chat = f"reject-{stream}"
                before = len(tool_calls())
                self.assertEqual(self.say("no", chat, stream, history=self.pause("Delete me", chat, stream)), rejected() + NOT_RUN)
                self.assertEqual(len(tool_calls()), before)
                self.assertEqual({k: v for k, v in decisions()[-1].items() if k != "taskId"}, {"agent": "azure-devops", "contextId": f"openwebui-{chat}", "decision": "reject"})

    def test_yes_and_no_words_in_any_case(self):
        for word in ("y", "approve", "OK", "ok."):
            with self.subTest(word=word):
                before = len(tool_calls())
                history = self.pause("Word", f"yes-{word}")
                self.assertEqual(self.say(word, f"yes-{word}", history=history), approved(FIRST_WORK_ITEM_ID + before, "Word"))
        for word in ("n", "reject", "Deny", " no! "):
            with self.subTest(word=word):
                before = len(tool_calls())
                history = self.pause("Word", f"no-{word}")
                self.assertEqual(self.say(word, f"no-{word}", history=history), rejected() + NOT_RUN)
                self.assertEqual(len(tool_calls()), before)

    def test_any_other_reply_rejects_with_the_reply_as_the_reason(self):
        before = len(tool_calls())
        history = self.pause("Wrong title", "other-reply", stream=False)
        reason = 'use the title "SSO login" instead'
        self.assertEqual(self.say(reason, "other-reply", stream=False, history=history), rejected(reason) + NOT_RUN_WITH_REASON)
        self.assertEqual(len(tool_calls()), before)
        self.assertEqual((decisions()[-1]["decision"], decisions()[-1]["reason"]), ("reject", reason))

    def test_a_decision_is_taken_once_and_kept_per_user(self):
        before = len(tool_calls())
        history = self.pause("Alice only", "shared-approval", user=ALICE)
        self.assertEqual(self.say("yes", "shared-approval", user=BOB, history=history), expected("azure-devops", "yes", "openwebui-shared-approval"))
        self.assertEqual(len(tool_calls()), before)
        self.assertEqual(self.say("yes", "shared-approval", user=ALICE, history=history), approved(FIRST_WORK_ITEM_ID + before, "Alice only"))
        self.assertEqual(self.say("yes", "shared-approval", user=ALICE, history=history), expected("azure-devops", "yes", "openwebui-shared-approval"))
        self.assertEqual([c["userId"] for c in tool_calls()[before:]], [ALICE["email"]])

    def test_only_a_reply_to_the_question_is_the_decision(self):
        before = len(tool_calls())
        history = self.pause("Edited", "not-a-reply")
        # An edited or regenerated turn: the message before the user's is not the question.
        answer = self.say("yes", "not-a-reply", history=[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "Hello."}])
        self.assertTrue(answer.startswith("\n\n⚠️ azure-devops failed: agent run failed: invalid HITL decision: a tool approval is pending"), answer)
        self.assertEqual(self.say("yes", "not-a-reply", history=history), approved(FIRST_WORK_ITEM_ID + before, "Edited"))
        self.assertEqual(self.module.previous_assistant([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}]), "b")
        self.assertIsNone(self.module.previous_assistant([{"role": "user", "content": "c"}]))

    def test_the_decision_goes_on_the_paused_task_with_kagent_uis_text_part(self):
        before = len(received())
        self.say("yes", "wire-shape", history=self.pause("Shape", "wire-shape"))
        self.assertEqual(received()[before:][1:], [{"agent": "azure-devops", "contextId": "openwebui-wire-shape", "text": "Approved", "partCount": 2, "userId": ALICE["email"]}])
        self.assertRegex(decisions()[-1]["taskId"], r"^[0-9a-f-]{36}$")

    def test_the_write_tool_is_a_status_line_and_the_confirmation_call_is_not(self):
        events = []

        async def emit(event):
            events.append(event)

        self.pause("Shown", "status-lines", __event_emitter__=emit)
        descriptions = [e["data"]["description"] for e in events if e["type"] == "status"]
        self.assertIn(f"Calling tool {WRITE_TOOL}", descriptions)
        self.assertFalse(any("adk_request_confirmation" in d for d in descriptions), descriptions)


class AllowListTest(unittest.TestCase):
    """An AGENTS item's `allow` limits who may use the agent; the agent stays listed (Open WebUI asks `pipes()`
    without a user) and refuses everyone else without calling kagent."""

    def setUp(self):
        self.module, self.pipe = load_pipe()
        self.module.AGENTS[0]["allow"] = {"users": ["Alice@Lab.example", "u-42"], "roles": ["admin"]}

    def ask(self, user, text="hello", chat="allow-chat"):
        kwargs = {"__metadata__": {"chat_id": chat}, **({"__user__": user} if user is not None else {})}
        return asyncio.run(run(self.pipe, body(text), **kwargs))

    def test_listed_users_and_roles_get_the_agent(self):
        self.assertEqual(self.ask(ALICE), expected("jairix", "hello", "openwebui-allow-chat"))
        self.assertEqual(self.ask({"id": "u-42", "email": "someone@lab.example", "role": "user"}, "by id"), expected("jairix", "by id", "openwebui-allow-chat"))
        self.assertEqual(self.ask({**BOB, "role": "admin"}, "as admin"), expected("jairix", "as admin", "openwebui-allow-chat"))

    def test_everyone_else_is_refused_in_the_chat_and_kagent_is_not_called(self):
        before = len(received())
        refusal = "⚠️ You are not allowed to use jairix: it is limited to some users or roles. Ask an administrator to add you to its allow-list."
        self.assertEqual(self.ask(BOB), refusal)
        self.assertEqual(self.ask(None), refusal)
        self.assertEqual(asyncio.run(run(self.pipe, body("hi", stream=False), __user__=BOB)), refusal)
        self.assertEqual(received()[before:], [])
        # Still listed, and an agent without `allow` stays open to everyone.
        self.assertIn("jairix", [p["id"] for p in self.pipe.pipes()])
        self.assertEqual(asyncio.run(run(self.pipe, body("hi", model="kagent_agents.azure-devops"), __user__=BOB, __metadata__={"chat_id": "open"})), expected("azure-devops", "hi", "openwebui-open"))


class FakeSseAgent:
    """An A2A agent whose stream is written the way the SSE spec allows and the old line-by-line reader broke on: each
    JSON-RPC response pretty-printed over many `data:` lines, CRLF line ends, `id:` lines and `: keep-alive`
    comments, sent in small pieces that split lines."""

    def __init__(self, version):
        import http.server
        import threading

        def status(state, text=None, final=False, partial=True):
            message = None
            if text is not None:
                part = {"text": text} if version == "1.0" else {"kind": "text", "text": text}
                message = {"role": "ROLE_AGENT" if version == "1.0" else "agent", "parts": [part], "messageId": "m", **({} if version == "1.0" else {"kind": "message"})}
            update = {"taskId": "t-1", "contextId": "c-1", "status": {"state": state, **({"message": message} if message else {})}, "metadata": {"kagent_adk_partial": partial}}
            if version == "1.0":
                return {"statusUpdate": update}
            return {"kind": "status-update", **update, "final": final}

        working, done = ("TASK_STATE_WORKING", "TASK_STATE_COMPLETED") if version == "1.0" else ("working", "completed")
        results = [status(working), status(working, "Hello from a multi-line"), status(working, " event."), status(done, final=True, partial=False)]
        stream = ": keep-alive\r\n\r\n"
        for n, result in enumerate(results):
            lines = json.dumps({"jsonrpc": "2.0", "id": "1", "result": result}, indent=2).split("\n")
            stream += f"id: {n}\r\n" + "".join(f"data: {line}\r\n" for line in lines) + "\r\n"
        self.body = stream.encode()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length") or 0))
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                for i in range(0, len(fake.body), 37):
                    self.wfile.write(fake.body[i:i + 37])
                    self.wfile.flush()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


class SseParsingTest(unittest.TestCase):
    def test_multi_line_data_events_are_parsed_in_both_wire_versions(self):
        for version in ("0.3", "1.0"):
            with self.subTest(version=version):
                fake = FakeSseAgent(version)
                self.addCleanup(fake.server.server_close)
                self.addCleanup(fake.server.shutdown)
                text = fake.body.decode()
                # The stream really is multi-line: many more data lines than events.
                self.assertEqual(text.count("\r\n\r\n"), 5)
                self.assertGreater(text.count("data: "), 40)
                _, pipe = load_pipe(A2A_BASE_URL=fake.url + "/api/a2a", A2A_VERSION=version)
                self.assertEqual(asyncio.run(run(pipe, body("hi"), __metadata__={"chat_id": "sse"})), "Hello from a multi-line event.")


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
