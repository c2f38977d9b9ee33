"""Pages of the project exchange, one module per subject: `calls`, `submissions`,
`attachments` and the Q&A `thread` of a submission."""
