"""The tools around the library: the ``jaxsched`` command line (``_cli``), plots
(``_plot``, matplotlib imported only when drawing) and the demo (``_demo``).

Import the public names from :mod:`jaxsched`; these modules are private.
"""
