/* Minimal test helpers: CHECK counts passes and failures and prints
 * file:line for each failure; check_done prints the counts in the form
 * tests/run.sh adds up ("RESULT passed failed") and returns the exit code. */
#ifndef FUELSIM_CHECK_H
#define FUELSIM_CHECK_H

#include <math.h>
#include <stdio.h>

static int check_pass_, check_fail_;

#define CHECK(cond) do { \
    if (cond) check_pass_++; \
    else { check_fail_++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

/* |a - b| <= tol, printing both values on failure. */
#define CHECK_NEAR(a, b, tol) do { \
    double ca_ = (a), cb_ = (b), ct_ = (tol); \
    if (fabs(ca_ - cb_) <= ct_) check_pass_++; \
    else { check_fail_++; fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.10g, %s = %.10g, tol %.3g\n", \
                                  __FILE__, __LINE__, #a, ca_, #b, cb_, ct_); } \
} while (0)

#define TEST(name) static void name(void)
#define RUN(name) do { fprintf(stderr, "  %s\n", #name); name(); } while (0)

static inline int check_done(void)
{
    printf("RESULT %d %d\n", check_pass_, check_fail_);
    return check_fail_ ? 1 : 0;
}

#endif
