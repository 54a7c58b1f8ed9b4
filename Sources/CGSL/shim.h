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

/* GSL's taus2 step (rng/taus.c, L'Ecuyer 1996), inlined: the same numbers as gsl_rng_uniform on the same
   state, without the call through the generator type's function pointer (a test compares the two). */
#define DRSIM_TAUS(s, a, b, c, d) ((((s & c) << d) & 0xffffffffUL) ^ ((((s << a) & 0xffffffffUL) ^ s) >> b))
static inline void drsim_taus_step(drsim_taus_state *s) {
    s->s1 = DRSIM_TAUS(s->s1, 13, 19, 4294967294UL, 12);
    s->s2 = DRSIM_TAUS(s->s2, 2, 25, 4294967288UL, 4);
    s->s3 = DRSIM_TAUS(s->s3, 3, 11, 4294967280UL, 17);
}
static inline double drsim_taus_uniform(gsl_rng *r) {
    drsim_taus_state *s = (drsim_taus_state *) r->state;
    drsim_taus_step(s);
    return (s->s1 ^ s->s2 ^ s->s3) / 4294967296.0;
}

/* Sets the whole taus2 state from three 32-bit words, so that a stream is keyed by a full 64-bit value
   instead of GSL's 32-bit seed. Bit 31 is set in each word to meet the generator's conditions
   (s1 > 1, s2 > 7, s3 > 15). GSL's own seeding then draws six numbers to warm the generator up, because
   its seeds come from a 32-bit LCG; these words come from SplitMix64 and need none (and the streams of
   resolvers and cohorts are re-keyed about 4,500 times a seed replication, where the warm-up cost 45%
   more instructions). */
static inline void drsim_taus_set(drsim_taus_state *s, unsigned int a, unsigned int b, unsigned int c) {
    s->s1 = a | 0x80000000UL;
    s->s2 = b | 0x80000000UL;
    s->s3 = c | 0x80000000UL;
}
static inline void drsim_taus_fill(gsl_rng *r, unsigned int a, unsigned int b, unsigned int c) {
    drsim_taus_set((drsim_taus_state *) gsl_rng_state(r), a, b, c);
}

/* The first n numbers of the stream that drsim_taus_fill(r, a, b, c) starts, into out: the same numbers as
   that fill followed by n calls of drsim_taus_uniform, with the state kept in registers instead of the
   generator (a resolver's draws at an answer change: a test compares the two). */
static inline void drsim_taus_uniforms(unsigned int a, unsigned int b, unsigned int c, double *out, long n) {
    drsim_taus_state s;
    drsim_taus_set(&s, a, b, c);
    for (long i = 0; i < n; i++) {
        drsim_taus_step(&s);
        out[i] = (s.s1 ^ s.s2 ^ s.s3) / 4294967296.0;
    }
}

#endif
