import sys

from jaxsched.tools._cli import main

sys.exit(main())
