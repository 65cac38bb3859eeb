/* Checkpoint of a sweep: how many replicates are committed, the byte length
 * of the replicate rows file at that moment, the identity of the run (seed,
 * n, a hash and a one-line description of the arguments), and the streaming
 * aggregates that cannot be rebuilt from the rows (histogram counts of the
 * hourly series). A small text file, written whole through OutFile, so that
 * a crash leaves either the previous checkpoint or the new one. */
#ifndef FUELSIM_CKPT_H
#define FUELSIM_CKPT_H

#include <stddef.h>
#include <stdint.h>

typedef struct Ckpt {
    uint64_t seed, n;
    uint64_t done;          /* replicates 0..done-1 are in the rows file */
    uint64_t csv_bytes;     /* length of the rows file holding exactly those */
    uint64_t hash;          /* identity of the arguments (see swp_run) */
    const char *ident;      /* one line describing the arguments; no newline */
    int ncell;              /* histogram cells (series x hours) */
    int nbins;              /* bins per cell */
    uint32_t *hist;         /* ncell * nbins counts; borrowed, see below */
} Ckpt;

/* Write c to path atomically. Returns 0, or -1 (errno set) on an I/O error;
 * the previous checkpoint is then left in place. */
int ckpt_write(const char *path, const Ckpt *c);

/* Read path into c. The caller sets c->ncell, c->nbins and c->hist (a buffer
 * of ncell * nbins counts) before the call; the counts are filled in, and
 * the file must have the same shape. c->ident is set to a new string that
 * the caller frees with free(). Returns 0; -1 when the file cannot be opened
 * (errno set, ENOENT when there is none); -2 when it is malformed or of
 * another shape (a message in err). */
int ckpt_read(const char *path, Ckpt *c, char *err, size_t errlen);

/* 64-bit FNV-1a of a string, continued from h (start with CKPT_HASH_INIT). */
#define CKPT_HASH_INIT 0xcbf29ce484222325ULL
uint64_t ckpt_hash_str(uint64_t h, const char *s);
uint64_t ckpt_hash_u64(uint64_t h, uint64_t v);

#endif
