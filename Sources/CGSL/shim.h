// Berth's window onto GSL. Swift 6 strict concurrency refuses to read mutable C
// globals such as `gsl_rng_mt19937`, so each one is reached through a
// `static inline` accessor here instead.
#ifndef BERTH_CGSL_SHIM_H
#define BERTH_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>

/// The Mersenne Twister MT19937 generator type (Matsumoto & Nishimura, 1998).
static inline const gsl_rng_type *berth_rng_type_mt19937(void) { return gsl_rng_mt19937; }

/// Turns GSL's default abort-on-error handler off. Berth validates every
/// parameter before it reaches GSL, and a library must never abort its host.
static inline void berth_gsl_disable_abort(void) { gsl_set_error_handler_off(); }

#endif
