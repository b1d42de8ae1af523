"""What every domain stands on: settings, services, the database, Redis state, jobs,
the calendar and the text catalogue.
"""
