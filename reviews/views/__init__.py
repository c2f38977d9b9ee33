"""Pages of the reviews app, one module per audience: `reviewer` (the reviewers'
own work), `dashboard` (organizers follow a call), `decisions` (organizers decide
and write to submitters; submitters read the feedback) and `assignment`."""
