"""``python -m pakus_cli``."""

from .cli import main

if __name__ == "__main__":  # (a large build's workers are spawned: they import this module again)
    main()
