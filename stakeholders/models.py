"""Organisations, applications, stakeholder lists and objections (OP 6, 8, 9).

Deliberately empty until the accreditation issue: ``stakeholders`` may import
from ``phases``, never the reverse.
"""
