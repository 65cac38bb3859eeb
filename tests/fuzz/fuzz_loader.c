/* libFuzzer target over the scenario loader, JSON and CSV paths both. The
 * input is split at NUL bytes into the files of a scenario folder, in the
 * order of `names` below (scenario.json first); files past the last part are
 * absent. Looks for crashes, leaks and undefined behaviour, not answers. */
#include "scenario.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static const char *const names[] = {"scenario.json", "areas.csv", "fragility.csv",
    "restoration.csv", "earthquakes.csv", "facilities.csv", "demand.csv", "components.csv",
    "stock.csv", "links.csv", "assets.csv", "consumption.csv", "tsunami.csv", "grid.csv"};
#define NNAMES ((int)(sizeof names / sizeof names[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *part[NNAMES];
    size_t len[NNAMES];
    int n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && n < NNAMES; i++) {
        if (i == size || data[i] == 0) {
            part[n] = (const char *)data + start;
            len[n] = i - start;
            n++;
            start = i + 1;
        }
    }
    Diag d;
    diag_init(&d);
    World *w = scn_load_mem(names, part, len, n, &d);
    world_free(w);
    diag_free(&d);
    return 0;
}
