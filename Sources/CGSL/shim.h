#ifndef DRSIM_CGSL_SHIM_H
#define DRSIM_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_sf_gamma.h>
#include <string.h>

/* Swift 6 rejects global C variables such as gsl_rng_mt19937; reach them through functions. */
static inline const gsl_rng_type *drsim_rng_mt19937(void) { return gsl_rng_mt19937; }

/* GSL's MT19937 state, as laid out in GSL's rng/mt.c (624 words and an index). */
typedef struct { unsigned long mt[624]; int mti; } drsim_mt_state;

/* 1 when the generator's state has the layout above, so drsim_mt_fill may write it. */
static inline int drsim_mt_layout_ok(const gsl_rng *r) {
    return r->type == gsl_rng_mt19937 && gsl_rng_size(r) == sizeof(drsim_mt_state);
}

/* Fills the whole MT19937 state from 624 32-bit words (not all zero), so a stream is keyed by a full
   64-bit value instead of GSL's 32-bit seed. The next draw regenerates the state block. */
static inline void drsim_mt_fill(gsl_rng *r, const unsigned int *words) {
    drsim_mt_state *s = (drsim_mt_state *) gsl_rng_state(r);
    for (int i = 0; i < 624; i++) s->mt[i] = words[i];
    s->mti = 624;
}

#endif
