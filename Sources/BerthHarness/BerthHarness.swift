// Module BerthHarness — see docs/architecture.md.
