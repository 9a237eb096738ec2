"""Triage: which body handles a complaint, and the Housing Ombudsman Scheme's grounds for not
investigating.

grounds    the data: bodies, subjects, the Scheme's grounds (with their sources and standing)
parsing    the resident's own words read as a subject, a landlord type, a nation
routes     which body handles a complaint, and why (`route_for`)
rendering  names and a route in the resident's language (`render_route`)
"""
