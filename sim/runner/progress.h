/* Progress of long work on stderr. When stderr is a terminal, a bar redrawn
 * in place at most a few times a second (done/total, items per second, ETA);
 * otherwise nothing until the end, then one summary line, so that logs and
 * test output stay short. Wall-clock time is read here only for display:
 * nothing in the program's results depends on it.
 *
 * Not thread-safe: one thread (the committing one) updates a Progress. */
#ifndef FUELSIM_PROGRESS_H
#define FUELSIM_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef enum ProgMode { PROG_AUTO, PROG_BAR, PROG_LINE } ProgMode;

typedef struct Progress {
    FILE *f;              /* borrowed; stderr in the program */
    const char *label;    /* borrowed; e.g. "fuelsim sweep" */
    const char *unit;     /* borrowed; plural noun, e.g. "replicates" */
    int bar;              /* 1: redraw a bar; 0: one line at the end */
    uint64_t total;       /* items in the whole job */
    uint64_t first;       /* items already done when this run started (resume) */
    uint64_t done;
    double t0, t_last;    /* monotonic seconds */
    int drawn;            /* a bar is on screen: finish its line before printing */
} Progress;

/* Start; `first` items of `total` are already done (a resumed job) and do not
 * count towards the rate. PROG_AUTO draws a bar when f is a terminal. */
void prog_start(Progress *p, FILE *f, ProgMode mode, const char *label, const char *unit,
                uint64_t total, uint64_t first);

/* `done` items (counted from 0, including `first`) are complete. Redraws the
 * bar when it is due (at most every 0.25 s). */
void prog_update(Progress *p, uint64_t done);

/* End the bar's line (so that a message can follow) without the summary. */
void prog_break(Progress *p);

/* Final line: items done in this run, seconds, rate. */
void prog_finish(Progress *p);

/* Seconds since this Progress started (monotonic). */
double prog_elapsed(const Progress *p);

/* Monotonic clock in seconds, for display and checkpoint pacing only. */
double prog_now(void);

#endif
