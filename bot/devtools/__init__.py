"""Tools for tests and benchmarks (a fake Telegram Bot API server); never used by the bot itself."""
