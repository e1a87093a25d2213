"""The cursored sync feed (``schemac sync``): keep a local copy of exported data up to date.

The shape is Cognite's subscription data feed: a sync spec is split into **partitions** (one per
datastream), each with its own **cursor** (the collection timestamp, in ns, up to which that
datastream's rows are safely on disk); a run exports what is new since each cursor and advances
it; datastreams that join or leave the set a spec follows are reported as added or removed.

- :mod:`.planner` (pure): a partition's cursor, now, lag and availability -> the next windows;
- :mod:`.state` the SQLite file next to the destination: cursors, windows, pending exports;
- :mod:`.layout` where a window's files go on disk (deterministic per window);
- :mod:`.runner` one run of a spec: resolve the datastreams, pin the schema, export window by
  window (partitions in parallel), advance the cursors;
- :mod:`.status` the per-partition status rows of ``schemac sync --status``.
"""
