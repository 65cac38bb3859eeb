/* Distributions drawn from an Rng. Parameters are in the caller's units;
 * each function documents its parameterisation. All are pure functions of
 * the Rng state. */
#ifndef FUELSIM_DIST_H
#define FUELSIM_DIST_H

#include "rng.h"

double dist_uniform(Rng *r, double a, double b);            /* U[a, b) */
double dist_exponential(Rng *r, double rate);                 /* mean 1/rate */
double dist_normal(Rng *r);                                   /* N(0, 1) */
double dist_normal_ms(Rng *r, double mean, double sd);
double dist_lognormal(Rng *r, double mu, double sigma);       /* exp(N(mu, sigma^2)) */
double dist_gamma(Rng *r, double shape, double scale);        /* mean shape*scale */
double dist_erlang(Rng *r, int k, double rate);               /* sum of k Exp(rate) */
long   dist_poisson(Rng *r, double mean);
/* Index i with probability p[i] / sum(p), n >= 1, p[i] >= 0, sum > 0. */
int    dist_discrete(Rng *r, const double *p, int n);

/* Standard normal CDF and its inverse (for fragility curves and tests). */
double dist_phi(double x);
double dist_phi_inv(double p);

#endif
