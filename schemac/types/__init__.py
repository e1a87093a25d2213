"""The type system: the lattice, inference over transforms and `case`, checks and `inspect`.

Importing this package is cheap; sqlglot is imported only by :mod:`schemac.types.sqltypes`, and
only when a transform's type is not cached.
"""
