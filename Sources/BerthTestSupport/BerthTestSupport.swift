// Module BerthTestSupport — see docs/architecture.md.
