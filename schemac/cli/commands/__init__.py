"""The commands behind the CLI, one module each: a function that takes plain values, prints,
and returns an exit code (schemac.vocabulary's EXIT_*). The logic they call lives in the library;
a command only wires it to the terminal."""
