"""The remote workflow: status, plan, publish, pull, import, diff, delete, export: library code.

- :mod:`.local` schema files -> validated, compiled wire bodies; :mod:`.select` which schemas a
  command names; :mod:`.content` contents as the API compares them;
- :mod:`.diff` two contents -> :class:`.changes.Change` values, classified by the breaking
  checks of :mod:`.breaking` (rules SC7xx of :mod:`schemac.rules.breaking`);
- :mod:`.plan` local vs remote per schema; :mod:`.status` its classification; :mod:`.publish`
  what publish refuses and reports; :mod:`.apply` the writes; :mod:`.files` pull and import's
  file naming; :mod:`.baseline` diff against a git revision (:mod:`.gitrev`); :mod:`.delete`
  what delete does with each name, and the delete itself.

- :mod:`.datastreams` the catalog's datastreams and a datastream named on the command line;
  :mod:`.exporting` an export made (idempotently), waited for and downloaded, :mod:`.artifacts`
  its files streamed to disk, :mod:`.pinning` the published schema version it uses,
  :mod:`.transport` the one reach into the official client (``format``, which it lacks).

- :mod:`.client` the API session (retries, idempotency keys); :mod:`.budget` its request
  budget, shared by its parallel workers; :mod:`.cache` published contents kept between runs,
  keyed by (id, version); :mod:`.masking` the API key kept out of every message.

Policy functions take data and return data; the CLI (:mod:`schemac.cli.remote`) renders them.
Only :mod:`schemac.remote.client` imports the official ``ticksupply`` client, and only the
commands that talk to the API import it.
"""
