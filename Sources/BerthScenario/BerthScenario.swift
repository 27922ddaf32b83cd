// Module BerthScenario — see docs/architecture.md.
