"""Published training schedules, one function each, with their sources."""
