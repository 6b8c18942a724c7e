import sys

from heza_geo.cli import main

sys.exit(main())
