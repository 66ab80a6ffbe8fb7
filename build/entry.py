"""Entry script of the frozen build: the same `neglect_tool.main:main` as the installed command."""

import sys

from neglect_tool.main import main

if __name__ == "__main__":
    sys.exit(main())
