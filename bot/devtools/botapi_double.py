"""A real HTTP Bot API double on 127.0.0.1 for end-to-end tests with python-telegram-bot.

It serves the methods nqbot uses from in-memory state, records every call, and rejects
what Telegram rejects (long texts, unparsable HTML, long callback data, big files, bad
polls) with Telegram-shaped JSON errors. Tests enqueue updates with the helpers and wait
for the bot's calls. See /work/notes/botapi_double.md for a usage note.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

TOKEN = "123456:TEST-double-token"
BOT_USER = {
    "id": 999000,
    "is_bot": True,
    "first_name": "NQ Bot",
    "username": "nqbot_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_DOWNLOAD = 20 * 1024 * 1024

# Parameters PTB sends as plain strings; everything else arrives JSON-encoded.
_STRING_PARAMS = {
    "text",
    "caption",
    "question",
    "explanation",
    "callback_query_id",
    "file_id",
    "parse_mode",
    "url",
    "action",
    "secret_token",
    "explanation_parse_mode",
    "question_parse_mode",
}
_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)\s*>")


class ApiError(Exception):
    """A Telegram error response: HTTP status, description, optional parameters."""

    def __init__(self, status: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the way Telegram counts message length."""
    return len(text.encode("utf-16-le")) // 2


def parse_telegram_html(text: str) -> str:
    """The plain text Telegram would show for HTML text, or ApiError 400 if it cannot parse it."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            match = _TAG.match(text, i)
            offset = len(text[:i].encode("utf-8"))
            if not match:
                raise ApiError(
                    400,
                    "Bad Request: can't parse entities: Unsupported start tag "
                    f'"{text[i + 1 : i + 8]}" at byte offset {offset}',
                )
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if name not in _ALLOWED_TAGS:
                raise ApiError(
                    400,
                    f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" '
                    f"at byte offset {offset}",
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise ApiError(
                        400,
                        "Bad Request: can't parse entities: Unmatched end tag at byte offset "
                        f'{offset}, expected "</{stack[-1] if stack else ""}>", found "</{name}>"',
                    )
                stack.pop()
            else:
                if name == "a" and "href" not in attrs:
                    raise ApiError(400, "Bad Request: can't parse entities: a tag without href")
                stack.append(name)
            i = match.end()
            continue
        if ch == "&":
            match = _ENTITY.match(text, i)
            if not match:
                offset = len(text[:i].encode("utf-8"))
                raise ApiError(
                    400,
                    "Bad Request: can't parse entities: Character entity expected "
                    f"at byte offset {offset}",
                )
            out.append(html.unescape(match.group(0)))
            i = match.end()
            continue
        out.append(ch)
        i += 1
    if stack:
        raise ApiError(
            400,
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1]}"',
        )
    return "".join(out)


@dataclass
class Call:
    """One request the bot made: method, decoded params, and how the double answered."""

    method: str
    params: dict[str, Any]
    status: int = 200
    description: str = ""
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        """True when the double answered 200."""
        return self.status == 200


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    file_size: int


class BotApiDouble:
    """The server; use as a context manager or call start()/stop()."""

    def __init__(
        self, token: str = TOKEN, max_poll_wait: float = 0.5, flood_limits: bool = True
    ) -> None:
        self.token = token
        self.max_poll_wait = max_poll_wait
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict] = {}  # (chat_id, message_id) → Message
        self.polls: dict[str, dict] = {}
        self.files: dict[str, StoredFile] = {}
        self.commands: list[dict] = []  # setMyCommands for the default scope
        self.scoped_commands: dict[str, list[dict]] = {}  # json.dumps(scope, sort_keys=True) → list
        self._updates: list[dict] = []
        self.webhook: dict | None = None  # {"url", "secret_token"} after setWebhook
        self.deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status) posted to it
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._ids = itertools.count(1)
        self._chats: dict[int, dict] = {}
        self._injected: dict[str, list[tuple[int, dict | None, str]]] = {}
        self._after_delivery: dict[str, list[tuple[int, dict | None, str]]] = {}
        self._delays: dict[str, list[float]] = {}
        # Telegram's flood limits on messages: (limit, seconds) sliding windows.
        self.flood_limits = flood_limits
        self._message_times: dict[object, list[float]] = {}
        self.flood_refused: list[Call] = []  # 429s the limits gave (not injected ones)
        self._lock = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> BotApiDouble:
        """Start serving on a free port of 127.0.0.1."""
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                double._handle(self)

            def do_GET(self) -> None:
                double._handle(self)

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the server."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> BotApiDouble:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """Value for telegram.base_url / ApplicationBuilder.base_url."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for telegram.base_file_url / ApplicationBuilder.base_file_url."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def telegram_config(self, **extra: Any) -> dict[str, Any]:
        """A `telegram:` config section pointing at this double (plus extra keys)."""
        return {"base_url": self.base_url, "base_file_url": self.base_file_url, **extra}

    # ------------------------------------------------------------------ injection
    def inject_error(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        after_delivery: bool = False,
    ) -> None:
        """Make the next `times` calls of method fail with 429 (retry_after) or a 5xx.

        after_delivery: the call takes effect (the message is delivered) and only then is
        answered with the error, as when Telegram's front end times out behind its back end.
        """
        if status == 429:
            item = (
                429,
                {"retry_after": retry_after},
                f"Too Many Requests: retry after {retry_after}",
            )
        else:
            item = (status, None, "Bad Gateway" if status == 502 else "Internal Server Error")
        queue = self._after_delivery if after_delivery else self._injected
        with self._lock:
            queue.setdefault(method, []).extend([item] * times)

    def inject_delay(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of method take effect at once but are answered `seconds` later."""
        with self._lock:
            self._delays.setdefault(method, []).extend([seconds] * times)

    # ------------------------------------------------------------------ updates
    def user(
        self, user_id: int, first_name: str = "Đảng viên", username: str | None = None
    ) -> dict:
        """A User object."""
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}
        if username:
            user["username"] = username
        return user

    def _chat(self, chat_id: int, chat_type: str | None = None, title: str = "Chi bộ") -> dict:
        if chat_id not in self._chats:
            kind = chat_type or ("private" if chat_id > 0 else "supergroup")
            chat: dict[str, Any] = {"id": chat_id, "type": kind}
            if kind == "private":
                chat["first_name"] = "Đảng viên"
            else:
                chat["title"] = title
            self._chats[chat_id] = chat
        return self._chats[chat_id]

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _incoming(self, chat_id: int, user_id: int, chat_type: str | None, **fields: Any) -> dict:
        with self._lock:
            message = {
                "message_id": self._next_message_id(chat_id),
                "date": int(time.time()),
                "chat": self._chat(chat_id, chat_type),
                "from": self.user(user_id),
                **fields,
            }
            self.messages[(chat_id, message["message_id"])] = message
        return message

    def enqueue(self, update: dict) -> dict:
        """Put a raw update (without update_id) on the getUpdates queue, or post it to the
        webhook when one is set, as Telegram does."""
        with self._lock:
            update = {"update_id": next(self._update_ids), **update}
            webhook = self.webhook
            if webhook is None:
                self._updates.append(update)
                self._lock.notify_all()
        if webhook is not None:
            self.deliveries.append((update["update_id"], self.post_to_webhook(update)))
        return update

    def post_to_webhook(self, update: dict, secret_token: str | None = None) -> int:
        """POST an update to the webhook the bot set; the HTTP status the bot answered.
        secret_token overrides the one the bot registered (to play a forger)."""
        assert self.webhook is not None, "the bot has not called setWebhook"
        secret = self.webhook.get("secret_token") if secret_token is None else secret_token
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        request = urllib.request.Request(
            self.webhook["url"], data=json.dumps(update).encode("utf-8"), headers=headers
        )
        deadline = time.monotonic() + 10
        while True:  # Telegram retries a webhook that is not listening yet
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code
            except urllib.error.URLError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    @staticmethod
    def _command_entities(text: str) -> list[dict]:
        if not text.startswith("/"):
            return []
        command = text.split()[0] if text.split() else text
        return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]

    def send_text(
        self, user_id: int, text: str, chat_id: int | None = None, chat_type: str | None = None
    ) -> dict:
        """A member's text message (private chat unless chat_id is a group); returns the update."""
        chat_id = user_id if chat_id is None else chat_id
        fields: dict[str, Any] = {"text": text}
        entities = self._command_entities(text)
        if entities:
            fields["entities"] = entities
        return self.enqueue({"message": self._incoming(chat_id, user_id, chat_type, **fields)})

    def send_group_command(
        self, user_id: int, chat_id: int, command: str, args: str = "", mention: bool = True
    ) -> dict:
        """'/hoi@botname args' in a group (chat_id < 0)."""
        head = f"/{command}@{BOT_USER['username']}" if mention else f"/{command}"
        text = f"{head} {args}".rstrip()
        return self.send_text(user_id, text, chat_id=chat_id, chat_type="supergroup")

    def send_reply(self, user_id: int, to: dict, text: str) -> dict:
        """A reply to a message (usually one the bot sent) in that message's chat."""
        chat_id = to["chat"]["id"]
        fields: dict[str, Any] = {"text": text, "reply_to_message": to}
        return self.enqueue({"message": self._incoming(chat_id, user_id, None, **fields)})

    def press_button(
        self, user_id: int, message: dict, text: str | None = None, data: str | None = None
    ) -> dict:
        """Tap an inline button (by its text or callback data) of a message the bot sent."""
        markup = message.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if (text is not None and text in button["text"]) or (
                    data is not None and button.get("callback_data") == data
                ):
                    query = {
                        "id": str(next(self._ids)),
                        "from": self.user(user_id),
                        "message": message,
                        "chat_instance": str(message["chat"]["id"]),
                        "data": button["callback_data"],
                    }
                    return self.enqueue({"callback_query": query})
        raise AssertionError(f"no button {text or data!r} in {markup}")

    def send_callback(self, user_id: int, message: dict, data: str) -> dict:
        """A button press with any callback data (stale or forged) on a message the bot sent."""
        query = {
            "id": str(next(self._ids)),
            "from": self.user(user_id),
            "message": message,
            "chat_instance": str(message["chat"]["id"]),
            "data": data,
        }
        return self.enqueue({"callback_query": query})

    def send_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        chat_id: int | None = None,
        file_size: int | None = None,
        caption: str | None = None,
    ) -> dict:
        """A document upload; the bytes are served through getFile (file_size may lie, to test limits)."""
        chat_id = user_id if chat_id is None else chat_id
        number = next(self._ids)
        size = len(content) if file_size is None else file_size
        stored = StoredFile(
            file_id=f"FILE{number}",
            file_unique_id=f"U{number}",
            content=content,
            file_path=f"documents/file_{number}",
            file_size=size,
        )
        self.files[stored.file_id] = stored
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": size,
        }
        fields: dict[str, Any] = {"document": document}
        if caption:
            fields["caption"] = caption
        return self.enqueue({"message": self._incoming(chat_id, user_id, None, **fields)})

    def send_poll_answer(self, user_id: int, poll_id: str, option_ids: list[int]) -> dict:
        """A member's answer to a (non-anonymous) poll."""
        answer = {
            "poll_id": poll_id,
            "user": self.user(user_id),
            "option_ids": option_ids,
            "option_persistent_ids": [str(i) for i in option_ids],
        }
        return self.enqueue({"poll_answer": answer})

    # ------------------------------------------------------------------ assertions
    def calls_of(self, method: str, ok: bool | None = True) -> list[Call]:
        """Recorded calls of one method (only successful ones by default; ok=None for all)."""
        with self._lock:
            return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    @property
    def rejected(self) -> list[Call]:
        """Calls the double refused as Telegram would: 4xx, flood-limit 429s included,
        injected 429s left out."""
        with self._lock:
            flooded = {id(c) for c in self.flood_refused}
            return [
                c
                for c in self.calls
                if 400 <= c.status < 500 and (c.status != 429 or id(c) in flooded)
            ]

    def sent(self, chat_id: int | None = None) -> list[dict]:
        """Messages the bot sent (sendMessage/sendDocument/sendPoll), oldest first."""
        with self._lock:
            return [
                m
                for m in self.messages.values()
                if m.get("from", {}).get("id") == BOT_USER["id"]
                and (chat_id is None or m["chat"]["id"] == chat_id)
            ]

    def wait_for(
        self, predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02
    ) -> Any:
        """Poll predicate until it returns something truthy; AssertionError after timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")
            time.sleep(interval)

    async def await_for(
        self, predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02
    ) -> Any:
        """wait_for for code running inside the event loop (does not block it)."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")
            await asyncio.sleep(interval)

    def messages_after(self, chat_id: int, count: int) -> Callable[[], list[dict]]:
        """A predicate: the bot's messages in chat_id once there are more than `count`."""

        def predicate() -> list[dict]:
            sent = self.sent(chat_id)
            return sent[count:] if len(sent) > count else []

        return predicate

    # ------------------------------------------------------------------ HTTP
    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        path = unquote(urlparse(request.path).path)
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        file_prefix = f"/file/bot{self.token}/"
        if path.startswith(file_prefix):
            self._serve_file(request, path[len(file_prefix) :])
            return
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            self._reply(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        method = path[len(prefix) :]
        params = self._decode(request, body, urlparse(request.path).query)
        call = Call(method=method, params=params)
        with self._lock:
            self.calls.append(call)
            queued = self._injected.get(method)
            injected = queued.pop(0) if queued else None
        if injected:
            status, parameters, description = injected
            call.status, call.description = status, description
            payload: dict[str, Any] = {
                "ok": False,
                "error_code": status,
                "description": description,
            }
            if parameters:
                payload["parameters"] = parameters
            self._reply(request, status, payload)
            return
        handler = getattr(self, f"_m_{method}", None)
        try:
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            self._check_flood(method, params, call)
            result = handler(params)
        except ApiError as exc:
            call.status, call.description = exc.status, exc.description
            payload = {"ok": False, "error_code": exc.status, "description": exc.description}
            if exc.parameters:
                payload["parameters"] = exc.parameters
            self._reply(request, exc.status, payload)
            return
        with self._lock:
            after = self._after_delivery.get(method)
            failure = after.pop(0) if after else None
            delays = self._delays.get(method)
            delay = delays.pop(0) if delays else 0.0
        if delay:
            time.sleep(delay)  # delivered; the answer is late
        if failure:
            status, parameters, description = failure
            call.status, call.description = status, f"{description} (after delivery)"
            payload = {"ok": False, "error_code": status, "description": description}
            self._reply(request, status, payload)
            return
        self._reply(request, 200, {"ok": True, "result": result})

    _MESSAGE_METHODS = ("send", "edit", "copy", "forward", "stopPoll")

    def _check_flood(self, method: str, params: dict, call: Call) -> None:
        """429 for a message over Telegram's limits: 30/s overall, 1/s a chat (bursts of 3
        in 3 s), 20/min a group; chat actions and callback answers are not messages."""
        if not self.flood_limits or not method.startswith(self._MESSAGE_METHODS):
            return
        if method == "sendChatAction":
            return
        chat_id = params.get("chat_id")
        rules: list[tuple[object, int, float]] = [("all", 30, 1.0)]
        if isinstance(chat_id, int):
            rules.append((chat_id, 20, 60.0) if chat_id < 0 else (chat_id, 3, 3.0))
        now = time.monotonic()
        with self._lock:
            for key, limit, seconds in rules:
                times = [t for t in self._message_times.get(key, []) if now - t < seconds]
                self._message_times[key] = times
                if len(times) >= limit:
                    wait = max(1, round(seconds - (now - times[0])))
                    self.flood_refused.append(call)
                    raise ApiError(
                        429, f"Too Many Requests: retry after {wait}", {"retry_after": wait}
                    )
            for key, _, _ in rules:
                self._message_times[key].append(now)

    def _decode(self, request: BaseHTTPRequestHandler, body: bytes, query: str) -> dict[str, Any]:
        raw: dict[str, Any] = dict(parse_qsl(query))
        content_type = request.headers.get("Content-Type", "")
        if content_type.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {content_type}\r\n\r\n".encode() + body
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                payload = part.get_payload(decode=True) or b""
                if filename is not None:
                    raw[name] = {"filename": filename, "content": payload}
                else:
                    raw[name] = payload.decode("utf-8")
        elif content_type.startswith("application/json") and body:
            return json.loads(body)
        elif body:
            raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, str) and key not in _STRING_PARAMS:
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            params[key] = value
        return params

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, payload: dict) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on a long poll while shutting down

    def _serve_file(self, request: BaseHTTPRequestHandler, file_path: str) -> None:
        stored = next((f for f in self.files.values() if f.file_path == file_path), None)
        if stored is None:
            self._reply(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        request.send_response(200)
        request.send_header("Content-Type", "application/octet-stream")
        request.send_header("Content-Length", str(len(stored.content)))
        request.end_headers()
        request.wfile.write(stored.content)

    # ------------------------------------------------------------------ checks
    @staticmethod
    def _check_text(
        text: Any, parse_mode: str | None, limit: int = MAX_TEXT, what: str = "message"
    ) -> None:
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        shown = parse_telegram_html(text) if (parse_mode or "").upper() == "HTML" else text
        if not shown.strip():
            raise ApiError(400, "Bad Request: text must be non-empty")
        if utf16_len(shown) > limit:
            raise ApiError(400, f"Bad Request: {what} is too long")

    @staticmethod
    def _check_markup(markup: Any) -> None:
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )

    def _chat_of(self, params: dict) -> dict:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        with self._lock:
            return self._chat(chat_id)

    def _store_bot_message(self, chat: dict, params: dict, **fields: Any) -> dict:
        with self._lock:
            message: dict[str, Any] = {
                "message_id": self._next_message_id(chat["id"]),
                "date": int(time.time()),
                "chat": chat,
                "from": BOT_USER,
                **fields,
            }
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            reply = params.get("reply_parameters") or {}
            reply_id = reply.get("message_id") or params.get("reply_to_message_id")
            if reply_id and (chat["id"], reply_id) in self.messages:
                message["reply_to_message"] = dict(self.messages[(chat["id"], reply_id)])
            self.messages[(chat["id"], message["message_id"])] = message
            self._lock.notify_all()
        return message

    # ------------------------------------------------------------------ methods
    def _m_getMe(self, params: dict) -> dict:
        return BOT_USER

    def _m_logOut(self, params: dict) -> bool:
        return True

    def _m_close(self, params: dict) -> bool:
        return True

    def _m_deleteWebhook(self, params: dict) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    def _m_setWebhook(self, params: dict) -> bool:
        url = params.get("url") or ""
        if not url:  # an empty url removes the webhook
            self.webhook = None
            return True
        if not url.startswith(("https://", "http://127.0.0.1")):
            # Telegram accepts HTTPS only; loopback HTTP is this double's allowance for tests.
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        self.webhook = {"url": url, "secret_token": params.get("secret_token")}
        return True

    def _m_setMyCommands(self, params: dict) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            name, description = command.get("command", ""), command.get("description", "")
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        scope = params.get("scope") or {"type": "default"}
        if scope.get("type") == "default":
            self.commands = commands
        else:
            self.scoped_commands[json.dumps(scope, sort_keys=True)] = commands
        return True

    def _m_getMyCommands(self, params: dict) -> list:
        scope = params.get("scope") or {"type": "default"}
        if scope.get("type") == "default":
            return self.commands
        return self.scoped_commands.get(json.dumps(scope, sort_keys=True), [])

    def _m_getUpdates(self, params: dict) -> list:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset") or 0
        limit = params.get("limit") or 100
        wait = min(float(params.get("timeout") or 0), self.max_poll_wait)
        deadline = time.monotonic() + wait
        with self._lock:
            while True:
                # Confirming an offset forgets the earlier updates, as Telegram does.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates:
                    return self._updates[:limit]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._lock.wait(remaining)

    def _m_sendChatAction(self, params: dict) -> bool:
        self._chat_of(params)
        return True

    def _m_sendMessage(self, params: dict) -> dict:
        chat = self._chat_of(params)
        self._check_text(params.get("text"), params.get("parse_mode"))
        self._check_markup(params.get("reply_markup"))
        return self._store_bot_message(chat, params, text=params["text"])

    def _find_message(self, params: dict) -> dict:
        key = (params.get("chat_id"), params.get("message_id"))
        with self._lock:
            message = self.messages.get(key)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _m_editMessageText(self, params: dict) -> dict:
        message = self._find_message(params)
        self._check_text(params.get("text"), params.get("parse_mode"))
        self._check_markup(params.get("reply_markup"))
        if message.get("text") == params["text"] and message.get("reply_markup") == params.get(
            "reply_markup"
        ):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        with self._lock:
            message["text"] = params["text"]
            message["edit_date"] = int(time.time())
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            else:
                message.pop("reply_markup", None)
        return message

    def _m_editMessageReplyMarkup(self, params: dict) -> dict:
        message = self._find_message(params)
        self._check_markup(params.get("reply_markup"))
        if message.get("reply_markup") == params.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified")
        with self._lock:
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            else:
                message.pop("reply_markup", None)
        return message

    def _m_answerCallbackQuery(self, params: dict) -> bool:
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _m_sendDocument(self, params: dict) -> dict:
        chat = self._chat_of(params)
        document = params.get("document")
        if not isinstance(document, dict):
            raise ApiError(400, "Bad Request: there is no document in the request")
        if params.get("caption"):
            self._check_text(params["caption"], params.get("parse_mode"), MAX_CAPTION, "caption")
        self._check_markup(params.get("reply_markup"))
        number = next(self._ids)
        stored = StoredFile(
            f"SENT{number}",
            f"SU{number}",
            document["content"],
            f"documents/sent_{number}",
            len(document["content"]),
        )
        self.files[stored.file_id] = stored
        info = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": document["filename"],
            "file_size": stored.file_size,
        }
        fields: dict[str, Any] = {"document": info}
        if params.get("caption"):
            fields["caption"] = params["caption"]
        return self._store_bot_message(chat, params, **fields)

    def _m_getFile(self, params: dict) -> dict:
        stored = self.files.get(params.get("file_id", ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.file_size > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    def _m_sendPoll(self, params: dict) -> dict:
        chat = self._chat_of(params)
        question = params.get("question") or ""
        options = [
            o if isinstance(o, str) else o.get("text", "") for o in params.get("options") or []
        ]
        if not 1 <= len(question) <= 300:
            raise ApiError(400, "Bad Request: POLL_QUESTION_INVALID")
        if len(options) < 2:
            raise ApiError(400, "Bad Request: poll must have at least 2 option")
        if len(options) > 10:
            raise ApiError(400, "Bad Request: poll can't have more than 10 options")
        if any(not 1 <= len(o) <= 100 for o in options):
            raise ApiError(400, "Bad Request: POLL_OPTION_INVALID")
        explanation = params.get("explanation")
        if explanation is not None and len(explanation) > 200:
            raise ApiError(
                400, "Bad Request: POLL_EXPLANATION_INVALID"
            )  # hedge: Telegram's wording
        kind = params.get("type") or "regular"
        # Bot API 9.6 sends correct_option_ids (a list); older clients send correct_option_id.
        correct_ids = params.get("correct_option_ids")
        if correct_ids is None and params.get("correct_option_id") is not None:
            correct_ids = [params["correct_option_id"]]
        if kind == "quiz" and (
            not correct_ids
            or not all(isinstance(c, int) and 0 <= c < len(options) for c in correct_ids)
        ):
            raise ApiError(400, "Bad Request: wrong correct option id")
        self._check_markup(params.get("reply_markup"))
        poll: dict[str, Any] = {
            "id": f"POLL{next(self._ids)}",
            "question": question,
            # persistent_id, allows_revoting, members_only: required by PTB 22.8 (Bot API 9.6/10).
            "options": [
                {"text": o, "voter_count": 0, "persistent_id": str(i)}
                for i, o in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": bool(params.get("is_closed", False)),
            "is_anonymous": params.get("is_anonymous", True),
            "type": kind,
            "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
            "allows_revoting": False,
            "members_only": False,
        }
        if kind == "quiz":
            poll["correct_option_ids"] = correct_ids
            if explanation:
                poll["explanation"] = explanation
        self.polls[poll["id"]] = poll
        return self._store_bot_message(chat, params, poll=poll)

    def _m_stopPoll(self, params: dict) -> dict:
        message = self._find_message(params)
        poll = message.get("poll")
        if poll is None:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        if poll["is_closed"]:
            raise ApiError(400, "Bad Request: poll has already been closed")
        poll["is_closed"] = True
        return poll


@contextlib.asynccontextmanager
async def running(application: Any, poll_timeout: float = 1.0) -> AsyncIterator[Any]:
    """Run a PTB Application (initialize, start, long polling) for the duration of the block."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    await application.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_shutdown:
            await application.post_shutdown(application)
        await application.shutdown()
