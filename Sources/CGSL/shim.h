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

/* Swift 6 rejects global C variables such as gsl_rng_taus2; reach them through functions. */
static inline const gsl_rng_type *drsim_rng_taus2(void) { return gsl_rng_taus2; }

/* GSL's taus2 state, as laid out in GSL's rng/taus.c: three words, of which the low 32 bits are used. */
typedef struct { unsigned long s1, s2, s3; } drsim_taus_state;

/* 1 when the generator's state has the layout above, so drsim_taus_fill may write it. */
static inline int drsim_taus_layout_ok(const gsl_rng *r) {
    return r->type == gsl_rng_taus2 && gsl_rng_size(r) == sizeof(drsim_taus_state);
}

/* Sets the whole taus2 state from three 32-bit words, so that a stream is keyed by a full 64-bit value
   instead of GSL's 32-bit seed. Bit 31 is set in each word to meet the generator's conditions
   (s1 > 1, s2 > 7, s3 > 15); then, as GSL's own seeding does, six draws warm it up. */
static inline void drsim_taus_fill(gsl_rng *r, unsigned int a, unsigned int b, unsigned int c) {
    drsim_taus_state *s = (drsim_taus_state *) gsl_rng_state(r);
    s->s1 = a | 0x80000000UL;
    s->s2 = b | 0x80000000UL;
    s->s3 = c | 0x80000000UL;
    for (int i = 0; i < 6; i++) (void) gsl_rng_get(r);
}

#endif
