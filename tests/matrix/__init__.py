"""Permission-matrix rows per app.

`tests/test_permission_matrix.py` holds the shared primitives' users (core, accounts,
directory, api rows) and collects every module listed in `APP_MODULES`. Each app module
defines:

- `ROWS`: a list of `tests.matrix.base.Row`;
- optionally `build(world)`: add the app's objects to `world.extra` (called once per
  case, after the base world is built);
- optionally `setup_actor(role, world, user)`: link the signed-in subject of `role` to
  the app's objects (for instance make the Role.REVIEWER subject a reviewer of a call);
  `user` is None for the anonymous subject.
"""

APP_MODULES = (
    "tests.matrix.exchange",
    "tests.matrix.reviews",
    "tests.matrix.investments",
    "tests.matrix.events",
    "tests.matrix.matching",
    "tests.matrix.meetings",
    "tests.matrix.visits",
    "tests.matrix.insights",
    "tests.matrix.journey",
    "tests.matrix.talent",
    "tests.matrix.notifications",
    "tests.matrix.translations",
)
