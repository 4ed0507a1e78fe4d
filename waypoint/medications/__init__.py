"""Medications: the medication list, opioid agreements, monitoring, MME and stewardship."""
