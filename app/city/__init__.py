"""The city domain (SC-3 … SC-9): sensors and readings, environment, traffic, waste, energy, live city events."""
