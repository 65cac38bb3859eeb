/* Progress bar and end-of-job line on stderr (see progress.h). */
#include "progress.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROG_REDRAW_S 0.25
#define PROG_WIDTH 30

double prog_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void prog_start(Progress *p, FILE *f, ProgMode mode, const char *label, const char *unit,
                uint64_t total, uint64_t first)
{
    p->f = f;
    p->label = label;
    p->unit = unit;
    p->bar = mode == PROG_BAR || (mode == PROG_AUTO && isatty(fileno(f)));
    p->total = total;
    p->first = first;
    p->done = first;
    p->t0 = prog_now();
    p->t_last = -1e300;
    p->drawn = 0;
}

double prog_elapsed(const Progress *p)
{
    return prog_now() - p->t0;
}

static void fmt_duration(char *buf, size_t n, double s)
{
    if (!(s >= 0) || s > 1e8) { snprintf(buf, n, "--"); return; }
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(buf, n, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else if (t >= 60) snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
    else snprintf(buf, n, "%lds", t);
}

static void draw(Progress *p, double now)
{
    double el = now - p->t0;
    double rate = el > 0 ? (double)(p->done - p->first) / el : 0;
    double eta = rate > 0 ? (double)(p->total - p->done) / rate : -1;
    int fill = p->total ? (int)((double)PROG_WIDTH * (double)p->done / (double)p->total) : PROG_WIDTH;
    char bar[PROG_WIDTH + 1], etas[32];
    for (int i = 0; i < PROG_WIDTH; i++) bar[i] = i < fill ? '#' : '.';
    bar[PROG_WIDTH] = 0;
    fmt_duration(etas, sizeof etas, eta);
    /* \033[K clears what a longer previous line left behind. */
    fprintf(p->f, "\r%s [%s] %llu/%llu %s  %.1f/s  ETA %s\033[K", p->label, bar,
            (unsigned long long)p->done, (unsigned long long)p->total, p->unit, rate, etas);
    fflush(p->f);
    p->drawn = 1;
    p->t_last = now;
}

void prog_update(Progress *p, uint64_t done)
{
    p->done = done;
    if (!p->bar) return;
    double now = prog_now();
    if (now - p->t_last >= PROG_REDRAW_S || done == p->total) draw(p, now);
}

void prog_break(Progress *p)
{
    if (p->drawn) {
        draw(p, prog_now());
        fputc('\n', p->f);
        p->drawn = 0;
    }
}

void prog_finish(Progress *p)
{
    prog_break(p);
    double el = prog_elapsed(p);
    uint64_t ran = p->done - p->first;
    char d[48] = "";
    if (el >= 60) {
        d[0] = ' ';
        d[1] = '(';
        fmt_duration(d + 2, sizeof d - 3, el);
        strcat(d, ")");
    }
    fprintf(p->f, "%s: %llu/%llu %s done, %llu in this run in %.1f s%s, %.1f %s/s\n",
            p->label, (unsigned long long)p->done, (unsigned long long)p->total, p->unit,
            (unsigned long long)ran, el, d, el > 0 ? (double)ran / el : 0.0, p->unit);
}
