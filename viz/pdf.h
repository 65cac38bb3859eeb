/* report.pdf: the report page printed by headless Chromium (A4; the page's
 * print CSS breaks pages between sections), with a fresh browser profile in
 * a temporary folder and no network (the page makes no requests: its CSP
 * allows none). Japanese text needs a CJK font (Noto CJK, `make deps`). */
#ifndef FUELSIM_PDF_H
#define FUELSIM_PDF_H

#include <stddef.h>

/* The browser run: FUELSIM_CHROMIUM if set, else /usr/bin/chromium. */
#define PDF_BROWSER_DEFAULT "/usr/bin/chromium"
/* Seconds before a browser that does not finish is killed. */
#define PDF_TIMEOUT_S 120

/* Print html_path to pdf_path, written whole (a temporary name in the same
 * folder, then rename). Returns 0, or -1 with a message in err (the browser
 * missing or failing, no PDF produced); pdf_path is then left as it was. */
int pdf_print(const char *html_path, const char *pdf_path, char *err, size_t errlen);

#endif
