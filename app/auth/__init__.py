"""Users, roles, tokens and device keys."""
