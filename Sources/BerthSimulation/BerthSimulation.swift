// Module BerthSimulation — see docs/architecture.md.
