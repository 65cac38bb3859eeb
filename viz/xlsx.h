/* Workbooks (.xlsx, libxlsxwriter) for the people who open tables in Excel:
 * the drill's MSEL, the BCP annex and an investment comparison. Each sheet
 * has a frozen header row with units, filters and column widths that fit
 * its text; every workbook ends with an "About" sheet that records what made
 * it (scenario, version, commit, command, seed, SHA-256 of the scenario
 * files). Excel in Japanese reads these without mojibake, which it does not
 * for a UTF-8 CSV without a byte-order mark.
 *
 * Written whole: libxlsxwriter writes to a path, so the workbook goes to a
 * temporary name in the same folder and is renamed into place when
 * complete. Each writer returns 0, or -1 with a message in err (the target
 * is then left as it was). */
#ifndef FUELSIM_XLSX_H
#define FUELSIM_XLSX_H

#include <stddef.h>

#include "bcp.h"
#include "compare.h"
#include "drill.h"
#include "plansheet.h"
#include "world.h"

/* msel.xlsx: sheet "MSEL" in the layout of the HSEEP MSEL template (one row
 * per inject: number, scenario time in h, exercise time as an Excel date in
 * Japan time, from, to, method, message, expected action, objective, kind,
 * trace lines), headers in the MSEL's language; then "About". extra is a
 * NULL-terminated key, value list for "About" (how the replicate was
 * picked), or NULL. */
int xlsx_write_msel(const char *path, const DrlMsel *m, const World *w, const RunProv *p,
                    const char *const *extra, char *err, size_t errlen);

/* bcp.xlsx: the annex's tables, one sheet each ("Facilities", "Berths",
 * "Components", "Generator fuel", "Grid areas", "Class 1", and "Transport
 * bottlenecks" when bs is not NULL: the sample's binding limits), then
 * "About". */
int xlsx_write_bcp(const char *path, const BcpAnnex *a, const PshBindStats *bs, const RunProv *p, char *err,
                   size_t errlen);

/* compare.xlsx: "Options" (rank, cost, shortfall avoided with its 95% CI,
 * yen per kL avoided), then "About". res has nres entries (one per option). */
int xlsx_write_compare(const char *path, const CmpInvest *inv, const CmpResult *res, int nres,
                       const World *w, const RunProv *p, const char *const *extra, char *err,
                       size_t errlen);

/* plan.xlsx: one tasking sheet per asset group (day, period, from, to,
 * product, kL, loads or sorties, departure and arrival: Excel dates in Japan
 * time when the sheet has an exercise clock, else hours), "Totals" (kL by
 * group and destination class), "Bottlenecks" and "Unmet" when the plan has
 * duals, then "About". */
int xlsx_write_plan(const char *path, const PlanSheet *ps, const OptSolution *so, const RunProv *p,
                    const char *const *extra, char *err, size_t errlen);

#endif
