"""OC4IDS 0.9 (Open Contracting for Infrastructure Data Standard) for the portfolio.

- `codelists`: the codes of the 0.9.5 codelists the mapping uses, and how the
  portfolio's own choices map onto them;
- `mapping`: one project to and from an OC4IDS project object (pure functions);
- `export`: the published portfolio as a project package (one per language);
- `importing`: a package into the portfolio, with a dry-run report.

See docs/oc4ids.md for the mapping table.
"""

SCHEMA_VERSION = "0.9"
