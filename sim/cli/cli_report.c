/* `fuelsim report OUT`: the offline HTML page and the GeoJSON of an output
 * folder (viz/report.h), and the hook the other commands call to write them
 * at their end. The scenario folder comes from --scenario, else from what OUT
 * records, else scenarios/ID under the current folder. */
#include "cli_cmds.h"
#include "pdf.h"
#include "report.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const CliOpt report_opts[] = {
    {"--lang", "ja|en", "language of the page (default en)"},
    {"--scenario", "DIR", "scenario folder OUT was made from (default: the one OUT records)"},
    {"--pdf", NULL, "also print the page to OUT/report.pdf (A4, headless Chromium)"},
    CLI_OPT_END};

int cli_report_after(const char *prog, const char *out, const World *w, const char *lang)
{
    RptOptions o;
    rpt_options_default(&o);
    o.prog = prog;
    o.version = cli_version();
    o.commit = cli_commit();
    if (lang) o.lang = lang;
    return rpt_write(out, w, &o);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* OUT/report.html to OUT/report.pdf; an exit code. */
static int print_pdf(const char *out)
{
    char *html = path_join(out, "report.html"), *pdf = path_join(out, "report.pdf");
    char err[768];
    int rc = pdf_print(html, pdf, err, sizeof err);
    if (rc == 0) printf("wrote %s\n", pdf);
    else fprintf(stderr, "fuelsim report: %s\n", err);
    free(html);
    free(pdf);
    return rc == 0 ? 0 : 1;
}

static int run_report(const CliArgs *a)
{
    const char *out = a->pos[0];
    const char *lang = cli_str(a, "--lang", "en");
    if (strcmp(lang, "en") != 0 && strcmp(lang, "ja") != 0)
        return cli_usage_error(a->cmd, "--lang: \"%s\" is not ja or en", lang);
    const char *given = cli_str(a, "--scenario", NULL);
    char *id = NULL, *dir = NULL;
    if (rpt_find_scenario(out, "fuelsim report", &id, &dir) != 0) return 1;
    char *guess = NULL;
    const char *use = given ? given : dir;
    if (use && !given && !is_dir(use)) use = NULL;   /* moved since: try the id */
    if (!use && id) {
        guess = path_join("scenarios", id);
        if (is_dir(guess)) use = guess;
    }
    int rc;
    if (!use) {
        rc = cli_usage_error(a->cmd, "%s does not say where its scenario folder%s%s%s is; give it with --scenario DIR",
                             out, id ? " (\"" : "", id ? id : "", id ? "\")" : "");
    } else {
        World *w = cli_load_world(use);
        if (!w) {
            rc = 2;
        } else {
            rc = cli_report_after("fuelsim report", out, w, lang);
            if (rc == 0) printf("wrote %s/report.html and %s/network.geojson\n", out, out);
            if (rc == 0 && cli_flag(a, "--pdf")) rc = print_pdf(out);
            world_free(w);
        }
    }
    free(id);
    free(dir);
    free(guess);
    return rc;
}

const CliCmd cli_cmd_report = {
    "report", "OUT [--lang ja|en] [--scenario DIR] [--pdf]",
    "offline HTML report and GeoJSON of a run's outputs",
    "Reads what sweep, run, drill or compare wrote into OUT and writes OUT/report.html, one\n"
    "self-contained page (inline SVG and CSS, no scripts, no network; printable): a map of the\n"
    "facilities coloured by damage probability with links and the earthquake source, served\n"
    "fraction by priority class over time (P10-P90 band and median), weighted shortfall over\n"
    "the replicates, restoration times, the trips of a run, a drill's injects and a\n"
    "comparison's options. Also OUT/network.geojson (facilities, demand points and links with\n"
    "their statistics, for QGIS). sweep, run, drill and compare write both at their end.\n"
    "The scenario folder is --scenario DIR, else the one recorded in OUT (network.geojson\n"
    "from an earlier report), else scenarios/ID. The base map is scenarios/coastline_kanto.geojson\n"
    "(next to the scenario folder, or under the current folder).\n"
    "--pdf prints the page to OUT/report.pdf through headless Chromium (A4, a page per\n"
    "section; Japanese needs the Noto CJK font that `make deps` installs; no network).\n"
    "Environment: FUELSIM_CHROMIUM names another browser binary.",
    1, 1, report_opts, run_report, 9};
