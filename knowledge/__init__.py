"""The Service Guide: its data files, their validation and the matcher. Imports nothing of ours."""
