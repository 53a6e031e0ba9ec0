"""The integration events, one module per bounded context."""
