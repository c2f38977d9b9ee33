"""Assigning reviewers to a call's submissions: the exact solver (`solver`, pure
Python) and the services that load a call, run it and save the result (`services`).

Nothing is imported here: the solver brings NumPy and OR-Tools, which only the
assignment page and its services need."""
