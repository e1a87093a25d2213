"""The remote workflow: status, plan, publish, pull, import and diff.

Offline parts (content normalisation, the column diff, the YAML generator) import nothing beyond
the core; only :mod:`schemac.remote.client` imports the official ``ticksupply`` client, and only
the commands that talk to the API import it.
"""
