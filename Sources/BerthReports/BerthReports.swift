// Module BerthReports — see docs/architecture.md.
