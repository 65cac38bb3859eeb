/* Shared resources for process-style models driven by the event queue,
 * without coroutines: a Resource with c identical servers (loading racks,
 * berths) and a Store holding a continuous level up to a capacity (tanks).
 *
 * The grant protocol: a process asks (res_request, store_take, store_put)
 * and is either granted at once (return 1: it goes on, typically pushing
 * its next event) or queued (return 0: it waits and does nothing more).
 * Whoever frees capacity (res_release, store_put, ...) gets back the ids of
 * the waiters that now hold what they asked for, and schedules their next
 * events. Ids are the model's (a lorry index, a customer number), >= 0.
 *
 * Statistics are built in: time-weighted busy servers, capacity and queue
 * length, and the waiting time of every grant (0 for immediate ones).
 * Times are in the model's unit (h), quantities in its unit (kL). Every
 * function takes `now`, which must not go backwards. */
#ifndef FUELSIM_RES_H
#define FUELSIM_RES_H

#include "stats.h"

#include <stdint.h>

/* Waiting discipline. RES_PRIORITY serves the lowest priority number
 * first (class 1 before class 4), first come first served within a class. */
enum { RES_FIFO, RES_PRIORITY };

typedef struct Resource Resource;

/* A resource with `servers` >= 0 servers, all idle, at time t0. */
Resource *res_new(int servers, int discipline, double t0);
/* NULL is a no-op. */
void      res_free(Resource *r);

/* Ask for one server for `who`. Returns 1 if granted now (the caller now
 * holds a server), 0 if `who` was queued. `priority` is used only under
 * RES_PRIORITY. A request is queued whenever others are already waiting. */
int res_request(Resource *r, double now, int who, int priority);
/* Give back one server. If a waiter takes it over, returns that waiter's
 * id (it now holds a server; the caller resumes it), else -1. */
int res_release(Resource *r, double now);
/* Hand a free server to the next waiter, if there is both; returns its id
 * or -1. After res_set_servers raises the count, call it until it returns
 * -1. */
int res_grant_next(Resource *r, double now);
/* Change the number of servers (damage, restoration). Servers in use above
 * a lowered count finish their current holder first: no preemption. */
void res_set_servers(Resource *r, double now, int servers);
/* Take `who` out of the queue (it gave up or was sent elsewhere): 1 if it
 * was waiting, else 0. Its time in the queue counts in the queue length,
 * not in the waiting times. */
int res_withdraw(Resource *r, double now, int who);

int res_servers(const Resource *r);
int res_busy(const Resource *r);
int res_queue_len(const Resource *r);

typedef struct ResStats {
    double utilisation;   /* integral of busy / integral of servers; 0 if no capacity */
    double mean_busy;     /* time-weighted busy servers */
    double mean_queue;    /* time-weighted number waiting */
    double max_queue;
    Welford wait;         /* waiting time of each grant in the window, 0 if immediate */
    double span;          /* length of the window */
} ResStats;

/* Statistics over the window [start, now]; start is t0 or the last reset. */
void res_stats(const Resource *r, double now, ResStats *out);
/* Start a new statistics window at now (warm-up deletion). */
void res_reset_stats(Resource *r, double now);

/* ---- Store ---- */

typedef struct Store Store;

enum { STORE_TAKE, STORE_PUT };

/* A store holding `level` of `capacity` (0 <= level <= capacity). */
Store *store_new(double capacity, double level, double t0);
/* NULL is a no-op. */
void   store_free(Store *s);

/* Take `amount` (0 <= amount <= capacity) for `who`. Returns 1 if taken
 * now, 0 if queued; takers are served strictly in arrival order, so a
 * large take at the head holds back smaller ones behind it. */
int store_take(Store *s, double now, int who, double amount);
/* Put `amount` (0 <= amount <= capacity); 1 if put now, 0 if queued until
 * there is room. Putters also go strictly in order. */
int store_put(Store *s, double now, int who, double amount);

/* A waiter whose take or put has gone through. */
typedef struct StoreGrant {
    int who;
    int kind;        /* STORE_TAKE or STORE_PUT */
    double amount;
} StoreGrant;

/* After any call that changes the level or capacity, waiters may have gone
 * through: each call returns the next one (oldest first) in *g and 1, or 0
 * when none is left. The caller resumes each. */
int store_granted(Store *s, StoreGrant *g);

/* Change the capacity (damage, repair). Contents above a lowered capacity
 * are lost; returns the amount lost. */
double store_set_capacity(Store *s, double now, double capacity);
/* Take `who` (of the given kind) out of its queue: 1 if it was waiting. */
int store_withdraw(Store *s, double now, int who, int kind);

double store_level(const Store *s);
double store_capacity(const Store *s);
int    store_queue_len(const Store *s, int kind);

typedef struct StoreStats {
    double mean_level;    /* time-weighted */
    double min_level;
    double mean_takers;   /* time-weighted number of waiting takers */
    double mean_putters;
    Welford take_wait;    /* waiting time per granted take, 0 if immediate */
    Welford put_wait;
    double taken, put;    /* totals granted in the window */
    double span;
} StoreStats;

void store_stats(const Store *s, double now, StoreStats *out);
void store_reset_stats(Store *s, double now);

#endif
