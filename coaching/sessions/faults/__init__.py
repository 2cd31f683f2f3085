"""Coach fault tags on logged sets (docs/domain.md "Conversation and form")."""
