"""Feature handlers: decisions and calls through the context, no Flask and no HTTP."""
