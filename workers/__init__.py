"""RQ jobs: importable functions taking plain ids, building what they need from settings."""
