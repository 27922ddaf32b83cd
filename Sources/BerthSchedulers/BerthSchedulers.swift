// Module BerthSchedulers — see docs/architecture.md.
