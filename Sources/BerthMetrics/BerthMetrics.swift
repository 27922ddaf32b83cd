// Module BerthMetrics — see docs/architecture.md.
