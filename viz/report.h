/* The report of a run's output folder: OUT/report.html, one self-contained
 * page (inline SVG and CSS, no scripts, no network requests, printable) in
 * English or Japanese, and OUT/network.geojson for GIS tools. Everything is
 * drawn from the files the commands wrote into OUT:
 *
 *   sweep    summary.json, replicates.csv, bands.csv: map coloured by
 *            P(extensive or complete damage), fan chart of served fraction by
 *            priority class, histogram of weighted shortfall, restoration
 *            intervals per facility and berth;
 *   run      metrics.json, timeseries.csv, trace.csv: map of the sampled
 *            damage, served fraction, restoration times, Gantt chart of trips;
 *   drill    msel.csv or msel.json: the inject timeline;
 *   compare  compare.json or compare.csv: options as bars with CIs and cost.
 *
 * The sweep and run files come as a set: one missing or unreadable is an
 * error. Drill and compare sections are left out when their files are absent.
 * The World supplies coordinates, names and the earthquake for the map; it
 * must be the scenario OUT was made from (same id).
 *
 * network.geojson: RFC 7946 FeatureCollection, one Point per facility and
 * per demand point and one LineString per link ([lon, lat]), each with
 * "layer" ("facility", "demand" or "link"), its ids and names and the
 * run's statistics as properties; the foreign member "fuelsim" records the
 * scenario id and its folder, so that `fuelsim report OUT` finds it again. */
#ifndef FUELSIM_REPORT_H
#define FUELSIM_REPORT_H

#include "world.h"

typedef struct RptOptions {
    const char *lang;        /* "en" or "ja"; default "en" */
    const char *prog;        /* prefix of messages; default "fuelsim report" */
    const char *coastline;   /* base-map GeoJSON; NULL: looked for as described at rpt_write */
    const char *version;     /* this program's version and commit, for the footer; may be NULL */
    const char *commit;
} RptOptions;

void rpt_options_default(RptOptions *o);

/* Write OUT/report.html and OUT/network.geojson, each whole (temporary file
 * and rename). o may be NULL for the defaults. The base map is o->coastline,
 * else the first of DIR/coastline.geojson, DIR/../coastline_kanto.geojson and
 * scenarios/coastline_kanto.geojson (DIR is w->dir) that exists; without one
 * the map has no coastline and says so.
 * Returns an exit code after printing any problem on stderr: 0 written;
 * 1 an input in OUT missing or unreadable, or a write failure; 2 OUT was
 * made from another scenario than w. */
int rpt_write(const char *out_dir, const World *w, const RptOptions *o);

/* What OUT says about the scenario it was made from: its id (from
 * summary.json, metrics.json, msel.json or compare.json) and its folder when
 * recorded ("scenario_dir" in those files, or in network.geojson from an
 * earlier report). Either may come back NULL; the caller frees both.
 * Returns 0, or -1 when OUT holds none of those files (message on stderr,
 * prefixed by prog). */
int rpt_find_scenario(const char *out_dir, const char *prog, char **id, char **dir);

#endif
