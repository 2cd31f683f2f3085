"""Form video on a logged set (docs/api.md, "Conversation and form"; DOMAIN.md "Conversation and form")."""
