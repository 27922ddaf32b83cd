// Module BerthPlacement — see docs/architecture.md.
