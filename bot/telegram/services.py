"""Typed access to the services handlers take from context.bot_data."""

from __future__ import annotations

import asyncio
import sqlite3

from telegram import User
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.conversation import AnswerContexts, Conversations
from bot.knowledge_base import KnowledgeBase
from bot.telegram.confirmations import Confirmations
from bot.telegram.flood import FloodLimiter

Context = ContextTypes.DEFAULT_TYPE


def settings(context: Context) -> Settings:
    """The one settings object."""
    return context.bot_data["settings"]


def kb(context: Context) -> KnowledgeBase:
    """The live knowledge base."""
    return context.bot_data["kb"]


def db(context: Context) -> sqlite3.Connection:
    """The SQLite connection (question log, feedback, quiz)."""
    return context.bot_data["db"]


def flood(context: Context) -> FloodLimiter:
    """The per-member flood limiter."""
    return context.bot_data["flood"]


def rebuild_lock(context: Context) -> asyncio.Lock:
    """Held while the index is being rebuilt, so rebuilds never overlap."""
    return context.bot_data["rebuild_lock"]


def pending(context: Context) -> Confirmations:
    """Admin actions waiting for a confirmation button, by short token."""
    return context.bot_data["pending"]


def conversations(context: Context) -> Conversations:
    """Each chat's conversation context (private chats follow on from their last question)."""
    return context.bot_data.setdefault("conversations", Conversations())


def answer_contexts(context: Context) -> AnswerContexts:
    """The context each answer message was produced in (replies and buttons use it)."""
    return context.bot_data.setdefault("answer_contexts", AnswerContexts())


def is_admin(context: Context, user: User | None) -> bool:
    """True when the user is one of telegram.admin_ids."""
    return user is not None and user.id in settings(context).telegram.admin_ids
