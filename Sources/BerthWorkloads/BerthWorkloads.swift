// Module BerthWorkloads — see docs/architecture.md.
