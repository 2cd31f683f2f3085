"""Session threads (docs/domain.md "Conversation and form"): the client's notes open a logged
session's thread; the client and their coach reply; read markers give unread counts; an email
goes to the other side when a reply has waited unread for an hour."""
