#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact_process.settings")
    # A developer's checkout (neither DEBUG nor SECRET_KEY set) is local use, as `make run`
    # sets it up, so that the README's commands work as typed. Production always sets
    # SECRET_KEY (and serves through wsgi.py), so it never gets this default.
    if "DEBUG" not in os.environ and "SECRET_KEY" not in os.environ:
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
