"""One module per `nqbot` subcommand; bot.cli only parses arguments and dispatches."""
