"""Reads in the reporting app; each module owns its queries' joins and annotations."""
