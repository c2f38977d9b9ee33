"""Pages of talent: `specialists` (the specialist's own pages, invitations),
`roles` (roles and their moderation), `figures` (what the city learns)."""
