"""``python -m schemac.sandbox``: the same as ``schemac sandbox``."""

import argparse
import sys

from schemac.cli.sandbox import configure, run

parser = argparse.ArgumentParser(prog="python -m schemac.sandbox")
configure(parser)
sys.exit(run(parser.parse_args()))
