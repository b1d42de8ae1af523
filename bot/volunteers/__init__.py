"""Garbage-sorting volunteers: stations and slots, shifts, coverage, attendance, standing,
texts and the month's report.
"""
