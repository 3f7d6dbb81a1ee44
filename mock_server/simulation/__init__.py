"""Simulation: faults set on demand, the journal of requests, named scenario presets."""
