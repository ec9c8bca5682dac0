"""Member handlers: questions in private and groups, the answer buttons, /start, /help, /vanban."""

from __future__ import annotations

import asyncio
import copy
import logging

from telegram import Message, MessageEntity, ReplyParameters, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import NetworkError, TelegramError

from bot import storage
from bot.answer import Answer
from bot.conversation import Conversation
from bot.documents import Chunk
from bot.telegram import messages as say
from bot.telegram import services, views
from bot.telegram.services import Context

log = logging.getLogger(__name__)


async def send_html(
    context: Context,
    chat_id: int,
    parts: list[str],
    reply_markup: object | None = None,
    reply_to: Message | None = None,
) -> list[Message]:
    """Send HTML parts in order; the first replies to reply_to, the last carries the buttons."""
    sent = []
    for i, part in enumerate(parts):
        reply = None
        if i == 0 and reply_to is not None:
            reply = ReplyParameters(reply_to.message_id, allow_sending_without_reply=True)
        try:
            sent.append(
                await context.bot.send_message(
                    chat_id,
                    part,
                    parse_mode=ParseMode.HTML,
                    reply_markup=reply_markup if i == len(parts) - 1 else None,
                    reply_parameters=reply,
                )
            )
        except NetworkError:
            # A 5xx or a timeout may come after Telegram delivered the message: sending it
            # again could show it twice, and an apology would follow a delivered answer.
            log.warning("message %d/%d to %s may not have arrived", i + 1, len(parts), chat_id)
    return sent


def _in_group(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type != ChatType.PRIVATE


async def _held_back(update: Update, context: Context, reply_to: Message | None) -> bool:
    """True (after saying why, when useful) if this question is not answered now: the member
    writes too fast, or there is no index yet."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None:
        allowed, warn = services.flood(context).check(user.id)
        if not allowed:
            if warn:
                seconds = services.flood(context).wait_seconds(user.id)
                text = say.FLOOD.format(seconds=seconds)
                await send_html(context, chat.id, [text], None, reply_to)
            return True
    if not services.kb(context).ready:
        text = say.NOT_READY_ADMIN if services.is_admin(context, user) else say.NOT_READY_MEMBER
        await send_html(context, chat.id, [text], None, reply_to)
        return True
    return False


def _log(update: Update, context: Context, question: str, answer: Answer) -> int:
    """The question in the log (for /chuatraloi and the buttons); its row id."""
    user, chat = update.effective_user, update.effective_chat
    top = answer.citations[0] if answer.citations else None
    return storage.log_question(
        services.db(context),
        question,
        answer.found,
        user_id=user.id if user else None,
        chat_id=chat.id,
        chat_type=chat.type,
        top_chunk_id=top.chunk_id if top else None,
        top_score=top.score if top else None,
    )


def _ask(
    update: Update, context: Context, question: str, k: int, conversation: Conversation
) -> tuple[Answer, int | None]:
    """The answer and its row in the question log (None for chatter, which is not logged), in
    a worker thread: neither the search nor the database write holds up other chats."""
    answer = services.kb(context).ask(question, k, 0, None, conversation)
    if answer.kind == "chatter":
        return answer, None
    return answer, _log(update, context, question, answer)


async def answer_question(update: Update, context: Context, question: str) -> None:
    """Answer one member's question in its chat's context: checks, retrieval off the loop,
    log, send with buttons, remember which context produced the answer."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    question = question.strip()
    reply_to = message if _in_group(update) else None
    if not question or await _held_back(update, context, reply_to):
        return  # whitespace only: nothing was asked
    typing = asyncio.create_task(_typing(context, chat.id))  # while the answer is looked up
    k = services.settings(context).retrieval.top_k
    conversation = _conversation_for(update, context)
    before = copy.deepcopy(conversation)
    answer, row = await asyncio.to_thread(_ask, update, context, question, k, conversation)
    await typing  # "typing…" goes out before the answer, never after it
    if row is None:  # "👍", "cảm ơn": a friendly word, not logged
        await send_html(context, chat.id, views.answer_messages(answer), None, reply_to)
        return
    keyboard = views.answer_keyboard(row, 0, k, answer.found)
    sent = await send_html(context, chat.id, views.answer_messages(answer), keyboard, reply_to)
    ids = [m.message_id for m in sent]
    services.answer_contexts(context).remember(chat.id, ids, before, conversation)


async def _typing(context: Context, chat_id: int) -> None:
    """'typing…' while the answer is looked up: only a nicety, never worth losing it over."""
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError:
        log.info("typing action to %s failed", chat_id)


def _conversation_for(update: Update, context: Context) -> Conversation:
    """A private chat's own context; in a group, the context of the answer replied to (else a
    fresh one: members of a group do not follow on from each other's questions)."""
    chat, message = update.effective_chat, update.effective_message
    if not _in_group(update):
        return services.conversations(context).get(chat.id)
    replied = message.reply_to_message
    if replied is not None:
        found = services.answer_contexts(context).after(chat.id, replied.message_id)
        if found is not None:
            return found
    return Conversation()


async def start(update: Update, context: Context) -> None:
    """Welcome: what the bot knows, how to ask, the quiz; for an admin, how to add documents."""
    admin = services.is_admin(context, update.effective_user)
    text = say.welcome(admin, services.settings(context).telegram.max_upload_mb)
    await send_html(context, update.effective_chat.id, [text])


async def moi(update: Update, context: Context) -> None:
    """/moi: forget the chat's conversation context; the next question stands on its own."""
    chat_id = update.effective_chat.id
    services.conversations(context).clear(chat_id)
    if _in_group(update):
        services.answer_contexts(context).forget_chat(chat_id)
    reply_to = update.effective_message if _in_group(update) else None
    await send_html(context, chat_id, [say.MOI_DONE], None, reply_to)


async def help_command(update: Update, context: Context) -> None:
    """Short usage help."""
    await send_html(context, update.effective_chat.id, [say.HELP])


async def private_text(update: Update, context: Context) -> None:
    """Any text in a private chat is a question."""
    await answer_question(update, context, update.effective_message.text or "")


async def not_text(update: Update, context: Context) -> None:
    """A photo, sticker or voice note in a private chat: say questions must be typed."""
    await send_html(context, update.effective_chat.id, [say.TEXT_ONLY])


async def hoi(update: Update, context: Context) -> None:
    """/hoi <câu hỏi>: a question in a group (or private)."""
    question = " ".join(context.args or [])
    if not question.strip():
        reply_to = update.effective_message if _in_group(update) else None
        await send_html(context, update.effective_chat.id, [say.HOI_USAGE], None, reply_to)
        return
    # Keep the member's own spacing and line breaks: take the text after the command.
    text = update.effective_message.text or ""
    parts = text.split(maxsplit=1)
    await answer_question(update, context, parts[1] if len(parts) > 1 else question)


def _without_mention(message: Message, username: str | None) -> str | None:
    """The text with '@bot' taken out when the message mentions this bot; None otherwise."""
    if not username:
        return None
    text = message.text or ""
    for entity, value in message.parse_entities([MessageEntity.MENTION]).items():
        if value.lstrip("@").casefold() == username.casefold():
            return (text[: entity.offset] + text[entity.offset + entity.length :]).strip()
    return None


async def group_text(update: Update, context: Context) -> None:
    """In a group: '@bot câu hỏi' works like /hoi; a reply to one of the bot's messages is a
    question (read in that answer's context)."""
    message = update.effective_message
    mentioned = _without_mention(message, context.bot.username)
    if mentioned is not None:
        if not mentioned:
            await send_html(context, update.effective_chat.id, [say.HOI_USAGE], None, message)
            return
        await answer_question(update, context, mentioned)
        return
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    await answer_question(update, context, message.text or "")


async def vanban(update: Update, context: Context) -> None:
    """/vanban: the indexed documents; a button per document shows its summary."""
    kb = services.kb(context)
    chat_id = update.effective_chat.id
    if not kb.ready:
        user = update.effective_user
        text = say.NOT_READY_ADMIN if services.is_admin(context, user) else say.NOT_READY_MEMBER
        await send_html(context, chat_id, [text])
        return
    documents = await asyncio.to_thread(kb.documents)
    admin = not _in_group(update) and services.is_admin(context, update.effective_user)
    messages = views.documents_messages(documents, admin=admin)
    await send_html(context, chat_id, messages, views.documents_keyboard(documents))


MAX_ID_DIGITS = 12  # row ids and offsets in callback data; longer ones are forged or garbage


def _parse(data: str | None, parts: int, numbers: tuple[int, ...] = ()) -> list[str] | None:
    """The fields of callback data when it has `parts` fields and those at `numbers` are ids."""
    pieces = (data or "").split(":")
    if len(pieces) != parts:
        return None
    for i in numbers:
        if not (pieces[i].isascii() and pieces[i].isdigit() and len(pieces[i]) <= MAX_ID_DIGITS):
            return None
    return pieces


async def _expired(update: Update) -> None:
    """Answer a button whose data is stale, forged or garbage; nothing is stored."""
    await update.callback_query.answer(say.BUTTON_EXPIRED, show_alert=True)


async def _question_or_expired(update: Update, context: Context, question_id: str) -> str | None:
    row = storage.get_question(services.db(context), int(question_id))
    if row is None:
        await update.callback_query.answer(say.EXPIRED, show_alert=True)
        return None
    return row["question"]


async def _asked_again(
    update: Update, context: Context, parts: int
) -> tuple[list[str], Answer] | None:
    """A result button's callback fields and its question answered again; None when stale."""
    query = update.callback_query
    parsed = _parse(query.data, parts, numbers=tuple(range(1, parts)))
    if parsed is None:
        await _expired(update)
        return None
    question = await _question_or_expired(update, context, parsed[1])
    if question is None:
        return None
    k = services.settings(context).retrieval.top_k
    message = query.message
    conversation = (
        services.answer_contexts(context).before(message.chat.id, message.message_id)
        if message is not None
        else None
    )
    kb = services.kb(context)
    answer: Answer = await asyncio.to_thread(
        kb.ask, question, k, int(parsed[2]), None, conversation
    )
    return parsed, answer


async def more_button(update: Update, context: Context) -> None:
    """'Thêm kết quả': the next results of the same question."""
    asked = await _asked_again(update, context, 3)
    if asked is None:
        return
    (_, question_id, offset), answer = asked
    query = update.callback_query
    k = services.settings(context).retrieval.top_k
    if not answer.found or not answer.citations:
        await query.answer(say.NO_MORE, show_alert=True)
        return
    await query.answer()
    keyboard = views.answer_keyboard(int(question_id), int(offset), k, True)
    messages = views.answer_messages(answer, further=True)
    await send_html(context, update.effective_chat.id, messages, keyboard)


def _cited_chunk_ids(answer: Answer) -> list[str]:
    """The quoted passages first, then the further sources, each once."""
    ids = [q.chunk_id for q in answer.quotes if q.chunk_id]
    ids += [c.chunk_id for c in answer.citations]
    return list(dict.fromkeys(ids))


async def source_button(update: Update, context: Context) -> None:
    """'Xem nguyên văn': the full passage a quote comes from, with its heading path."""
    asked = await _asked_again(update, context, 4)
    if asked is None:
        return
    (_, question_id, offset, index), answer = asked
    query = update.callback_query
    kb = services.kb(context)
    chunk_ids = [i for i in _cited_chunk_ids(answer) if kb.passage(i) is not None]
    i = int(index)
    chunk: Chunk | None = kb.passage(chunk_ids[i]) if i < len(chunk_ids) else None
    if chunk is None:
        await query.answer(say.PASSAGE_GONE, show_alert=True)
        return
    await query.answer()
    meta = kb.meta(chunk.doc_id)
    keyboard = (
        views.next_source_keyboard(int(question_id), int(offset), i + 1)
        if i + 1 < len(chunk_ids)
        else None
    )
    quoted = [q.text for q in answer.quotes if q.chunk_id == chunk.id]
    messages = views.passage_messages(chunk, meta, quoted)
    await send_html(context, update.effective_chat.id, messages, keyboard)


async def feedback_button(update: Update, context: Context) -> None:
    """👍 / 👎: store the member's opinion of the answer."""
    query = update.callback_query
    parsed = _parse(query.data, 3, numbers=(1,))
    if parsed is None or parsed[2] not in ("+", "-"):
        await _expired(update)
        return
    question_id = int(parsed[1])
    if storage.get_question(services.db(context), question_id) is None:
        await query.answer(say.EXPIRED)
        return
    value = 1 if parsed[2] == "+" else -1
    storage.add_feedback(services.db(context), question_id, query.from_user.id, value)
    await query.answer(say.THANKS)


async def document_button(update: Update, context: Context) -> None:
    """A /vanban button: the document's summary card."""
    query = update.callback_query
    parsed = _parse(query.data, 2)
    key = parsed[1] if parsed else ""
    documents = await asyncio.to_thread(services.kb(context).documents)
    doc = next((d for d in documents if views.document_key(d.doc_id) == key), None)
    if doc is None:
        await query.answer(say.DOCUMENT_GONE, show_alert=True)
        return
    await query.answer()
    await send_html(context, update.effective_chat.id, [views.document_summary(doc)])


async def unknown_button(update: Update, context: Context) -> None:
    """A button no handler takes (an old keyboard, forged data): answered, never stored."""
    await _expired(update)


async def unknown_command(update: Update, context: Context) -> None:
    """A command nqbot does not have: a short pointer to /help (in groups only when addressed)."""
    message = update.effective_message
    if _in_group(update):
        command = (message.text or "").split(maxsplit=1)[0]
        if not command.casefold().endswith("@" + (context.bot.username or "").casefold()):
            return  # perhaps another bot's command
    reply_to = message if _in_group(update) else None
    await send_html(context, update.effective_chat.id, [say.UNKNOWN_COMMAND], None, reply_to)
