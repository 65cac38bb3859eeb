/* Printing the report through headless Chromium (see pdf.h): one child
 * process with its own throw-away profile, its output checked to be a PDF
 * before it is renamed into place. */
#define _XOPEN_SOURCE 700
#include "pdf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

/* 1 when path starts with the PDF signature. */
static int is_pdf(const char *path)
{
    char head[5] = {0};
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(head, 1, 5, f);
    fclose(f);
    return n == 5 && memcmp(head, "%PDF-", 5) == 0;
}

/* Run argv with stdout and stderr into log; wait up to PDF_TIMEOUT_S.
 * Returns the exit status, or -1 (err set) when it cannot run or is killed. */
static int run_browser(char *const argv[], const char *log, char *err, size_t errlen)
{
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot start %s: %s", argv[0], strerror(errno));
        return -1;
    }
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int nul = open("/dev/null", O_RDONLY);
        if (fd >= 0) { dup2(fd, 1); dup2(fd, 2); }
        if (nul >= 0) dup2(nul, 0);
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    for (int waited_ms = 0;; waited_ms += 50) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) {
            snprintf(err, errlen, "waiting for %s: %s", argv[0], strerror(errno));
            return -1;
        }
        if (waited_ms >= PDF_TIMEOUT_S * 1000) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            snprintf(err, errlen, "%s did not finish within %d s", argv[0], PDF_TIMEOUT_S);
            return -1;
        }
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        snprintf(err, errlen, "cannot run %s (install it: make deps)", argv[0]);
        return -1;
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The last line of the browser's log, for a failure message. */
static void last_line(const char *log, char *out, size_t n)
{
    out[0] = 0;
    FILE *f = fopen(log, "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f))
        if (line[0] != '\n') snprintf(out, n, "%.*s", (int)(n - 1), line);
    fclose(f);
    out[strcspn(out, "\n")] = 0;
}

int pdf_print(const char *html_path, const char *pdf_path, char *err, size_t errlen)
{
    const char *browser = getenv("FUELSIM_CHROMIUM");
    if (!browser || !*browser) browser = PDF_BROWSER_DEFAULT;
    char *abs = realpath(html_path, NULL);
    if (!abs) {
        snprintf(err, errlen, "%s: %s", html_path, strerror(errno));
        return -1;
    }
    const char *td = getenv("TMPDIR");
    StrBuf b = {0};
    sb_printf(&b, "%s/fuelsim-chromium.XXXXXX", td && *td ? td : P_tmpdir);
    char *prof = sb_take(&b);
    if (!mkdtemp(prof)) {
        snprintf(err, errlen, "cannot make a browser profile folder %s: %s", prof, strerror(errno));
        free(abs);
        free(prof);
        return -1;
    }
    sb_printf(&b, "%s.tmp-%ld.pdf", pdf_path, (long)getpid());
    char *tmp = sb_take(&b);
    sb_printf(&b, "--user-data-dir=%s", prof);
    char *a_prof = sb_take(&b);
    sb_printf(&b, "--print-to-pdf=%s", tmp);
    char *a_out = sb_take(&b);
    sb_printf(&b, "file://%s", abs);
    char *url = sb_take(&b);
    sb_printf(&b, "%s/browser.log", prof);
    char *log = sb_take(&b);
    char *argv[] = {(char *)browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-extensions", "--no-pdf-header-footer", a_prof, a_out, url, NULL};
    int rc = run_browser(argv, log, err, errlen);
    if (rc > 0 || (rc == 0 && !is_pdf(tmp))) {
        char why[200];
        last_line(log, why, sizeof why);
        snprintf(err, errlen, "%s printed no PDF of %s (exit %d)%s%.200s", browser, html_path, rc,
                 why[0] ? ": " : "", why);
        rc = -1;
    }
    if (rc == 0 && rename(tmp, pdf_path) != 0) {
        snprintf(err, errlen, "%s: %s", pdf_path, strerror(errno));
        rc = -1;
    }
    if (rc != 0) unlink(tmp);
    nftw(prof, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(abs); free(prof); free(tmp); free(a_prof); free(a_out); free(url); free(log);
    return rc == 0 ? 0 : -1;
}
