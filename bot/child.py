"""Run one heavy call (parse and embed documents) in a child process and return its result.

The child's memory goes back to the system when it exits, whatever a hostile file made it
allocate; the parent (the bot) stays small. The child dies with its parent (Linux), so a
killed bot never leaves a build running beside the next one.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from typing import Any


class ChildFailed(RuntimeError):
    """The child process died without an answer (killed, out of memory)."""


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the child may outlive a killed parent
        pass


def _child_main(connection: Any, parent: int, target: str, args_blob: bytes) -> None:
    _die_with_parent()  # first, before the heavy imports the call needs
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the line above took effect
    module, _, name = target.partition(":")
    try:
        func = getattr(importlib.import_module(module), name)
        result = ("ok", func(*pickle.loads(args_blob)))
    except BaseException as exc:  # everything goes back to the parent
        try:
            pickle.dumps(exc)
            result = ("error", exc)
        except Exception:
            result = ("error", RuntimeError(f"{type(exc).__name__}: {exc}"))
        if not type(exc).__module__.startswith("bot."):  # a refusal is no news
            traceback.print_exc()
    connection.send(result)
    connection.close()


def run_in_child(func: Callable[..., Any], *args: Any) -> Any:
    """func(*args) in a fresh (spawned) process; its exception is raised here, as is.

    func must be a module-level function (it is imported by name in the child).
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    target = f"{func.__module__}:{func.__qualname__}"  # imported in the child, after prctl
    process = context.Process(
        target=_child_main,
        args=(send, os.getpid(), target, pickle.dumps(args)),
        daemon=True,
    )
    process.start()
    send.close()
    try:
        status, value = receive.recv()
    except EOFError:
        process.join()
        raise ChildFailed(
            f"quá trình đọc và lập chỉ mục bị dừng đột ngột (mã {process.exitcode})"
        ) from None
    finally:
        receive.close()
    process.join()
    if status == "error":
        raise value
    return value
