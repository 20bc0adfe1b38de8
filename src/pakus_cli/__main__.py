"""``python -m pakus_cli``."""

from .cli import main

main()
