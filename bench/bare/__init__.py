"""A bare Django project for bench/bench_production_load.py: the floor Mist is held to.

It reads the same organizations table as Mist's directory (a raw query, no ORM, no
middleware, no templates) and answers plain HTML or JSON. Served by the same app
server with the same workers against the same database.
"""
