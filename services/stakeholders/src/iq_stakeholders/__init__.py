"""Intercultural opening (priority area 3): stakeholder organisations, trainings, events and
consultations."""
