"""`python -m replicate_ext.cli`."""

from . import main

main()
