"""Tickets: their records, opening exactly once, routing, lifecycle, staff actions, texts
and the Monday report.
"""
