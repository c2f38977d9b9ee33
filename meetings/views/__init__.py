"""Pages of the meetings app, one module per subject: `requests` (asking, answering,
proposing times), `agenda` (my meetings and their outcomes) and `sessions` (B2B
sessions, for their organizers and participants)."""
