/* Event queue and simulation clock: the core of the discrete-event engine.
 * An EvQueue holds timed events, hands them out in time order and keeps the
 * current time. Equal times come out in the order they were pushed
 * (a sequence number breaks ties), so a run is a function of its inputs
 * alone. Events can be cancelled and rescheduled through handles.
 *
 * An event carries a small integer type and two payload integers for the
 * model to dispatch on (for example type = ARRIVE, a = lorry, b = depot);
 * the queue never allocates per event once its arrays have grown to the
 * largest number pending. One EvQueue per replicate; no shared state, so
 * threads each run their own. Time is in the model's unit (h for fuelsim). */
#ifndef FUELSIM_EVQ_H
#define FUELSIM_EVQ_H

#include <stddef.h>
#include <stdint.h>

typedef struct EvQueue EvQueue;

/* An event as handed out by evq_pop. */
typedef struct Event {
    double time;    /* when it happens */
    int type;       /* the model's event kind */
    int a;          /* payload, the model's meaning */
    int64_t b;      /* payload, the model's meaning (an index, or two packed) */
} Event;

/* Names one pushed event until it is popped or cancelled; after that it is
 * stale and the functions taking it do nothing. EVQ_NONE is never issued,
 * so it can mark "no event" in the model's own structs. */
typedef uint64_t EvHandle;
#define EVQ_NONE ((EvHandle)0)

/* A new empty queue with the clock at t0. Free with evq_free. */
EvQueue *evq_new(double t0);
/* NULL is a no-op. */
void     evq_free(EvQueue *q);
/* Drop every pending event and set the clock to t0, keeping the memory
 * (one queue can serve replicate after replicate). Old handles go stale. */
void     evq_clear(EvQueue *q, double t0);

/* Schedule an event at `time` (>= evq_now; NaN is a programmer error).
 * Returns its handle. */
EvHandle evq_push(EvQueue *q, double time, int type, int a, int64_t b);

/* Take the earliest event (ties: first pushed first), set the clock to its
 * time, and return 1; return 0 when the queue is empty. */
int      evq_pop(EvQueue *q, Event *ev);
/* As evq_pop, but only an event at time <= until. When there is none, the
 * clock moves to `until` (if later than now) and 0 is returned: a horizon
 * for runs whose statistics must close at a fixed time. */
int      evq_pop_until(EvQueue *q, double until, Event *ev);

/* Remove a pending event. Returns 1, or 0 if h is stale (already popped or
 * cancelled). */
int      evq_cancel(EvQueue *q, EvHandle h);
/* Move a pending event to `time` (>= evq_now). It then ranks among events
 * of equal time as if pushed now. Returns 1, or 0 if h is stale. */
int      evq_reschedule(EvQueue *q, EvHandle h, double time);
/* 1 if h names a pending event; its time and payload go to *ev if ev is
 * not NULL. */
int      evq_get(const EvQueue *q, EvHandle h, Event *ev);

/* Current time: the time of the last popped event (or t0, or a horizon). */
double   evq_now(const EvQueue *q);
/* Time of the earliest pending event; +inf when empty. */
double   evq_next_time(EvQueue *q);
/* Number of pending events. */
size_t   evq_size(const EvQueue *q);
/* Events popped since evq_new or evq_clear. */
uint64_t evq_popped(const EvQueue *q);
/* Bytes held by the queue's arrays; constant once the queue has seen its
 * largest number of pending events (tests check there is no per-event
 * allocation with it). */
size_t   evq_mem_bytes(const EvQueue *q);

/* Tie-break sequence numbers are 32 bits; when they run out the queue
 * renumbers the pending events in their current order, which preserves
 * every ordering. Exposed so tests can check exactly that. */
void     evq_renumber(EvQueue *q);

#endif
