"""The Telegram side: application wiring, handlers, rendering to Telegram HTML."""
