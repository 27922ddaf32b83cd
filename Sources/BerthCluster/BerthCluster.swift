// Module BerthCluster — see docs/architecture.md.
