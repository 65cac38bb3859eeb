/* Text input: whole files, line of an offset, UTF-8, and CSV tables with the
 * physical line of each row. */
#include "check.h"
#include "textio.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int has_msg(const Diag *d, const char *m)
{
    for (int i = 0; i < d->n; i++)
        if (strcmp(d->msg[i], m) == 0) return 1;
    return 0;
}

static int parse(TioTable *t, const char *text, const char *const *req, Diag *d)
{
    TioCsvSpec s = {0};
    s.file = "t.csv";
    s.required = req;
    s.d = d;
    return tio_table_parse(t, text, strlen(text), &s);
}

TEST(line_of_offset_counts_newlines_before_it)
{
    const char *t = "a\nbb\n\nccc";
    CHECK(tio_line_of(t, 0) == 1);
    CHECK(tio_line_of(t, 1) == 1);
    CHECK(tio_line_of(t, 2) == 2);
    CHECK(tio_line_of(t, 5) == 3);
    CHECK(tio_line_of(t, 6) == 4);
    CHECK(tio_line_of(t, 100) == 4);   /* stops at the NUL */
}

TEST(bom_is_skipped_and_rows_keep_their_lines)
{
    Diag d;
    diag_init(&d);
    TioTable t;
    static const char *const req[] = {"id", "v", NULL};
    CHECK(parse(&t, "\xEF\xBB\xBFid,v\n\na,1\nb,2\n", req, &d) == 0);
    CHECK(t.ncol == 2 && strcmp(t.hdr[0], "id") == 0);
    CHECK(t.nrow == 2 && t.row[0].line == 3 && t.row[1].line == 4);
    CHECK(strcmp(t.row[1].f[0], "b") == 0 && strcmp(t.row[1].f[1], "2") == 0);
    CHECK(d.total == 0);
    tio_table_free(&t);
    diag_free(&d);
}

TEST(crlf_line_ends_are_accepted)
{
    Diag d;
    diag_init(&d);
    TioTable t;
    static const char *const req[] = {"id", "v", NULL};
    CHECK(parse(&t, "id,v\r\na,1\r\nb,2\r\n", req, &d) == 0);
    CHECK(t.nrow == 2 && strcmp(t.hdr[1], "v") == 0 && strcmp(t.row[0].f[1], "1") == 0);
    CHECK(t.row[1].line == 3);
    tio_table_free(&t);
    diag_free(&d);
}

TEST(row_with_quoted_field_spanning_lines_has_the_line_it_starts_on)
{
    Diag d;
    diag_init(&d);
    TioTable t;
    CHECK(parse(&t, "id,note\na,\"one\ntwo\nthree\"\nb,x\n", NULL, &d) == 0);
    CHECK(t.nrow == 2);
    CHECK(t.row[0].line == 2 && strcmp(t.row[0].f[1], "one\ntwo\nthree") == 0);
    CHECK(t.row[1].line == 5);
    tio_table_free(&t);
    diag_free(&d);
}

TEST(missing_column_is_named_at_the_header_line)
{
    Diag d;
    diag_init(&d);
    TioTable t;
    static const char *const req[] = {"id", "v", "w", NULL};
    CHECK(parse(&t, "\nid,v\na,1\n", req, &d) == -1);
    CHECK(!t.ok && d.total == 1);
    CHECK(has_msg(&d, "t.csv:2: missing column 'w'"));
    tio_table_free(&t);
    diag_free(&d);
}

TEST(row_of_wrong_width_is_reported_and_kept_out)
{
    Diag d;
    diag_init(&d);
    TioTable t;
    CHECK(parse(&t, "id,v\na,1\nb,2,3\nc,3\n", NULL, &d) == -1);
    CHECK(d.total == 1 && has_msg(&d, "t.csv:3: row has 3 fields, the header has 2"));
    CHECK(t.nrow == 2 && t.row[1].line == 4);
    tio_table_free(&t);
    diag_free(&d);
}

TEST(invalid_utf8_and_nul_are_reported_with_their_line)
{
    Diag d;
    diag_init(&d);
    TioTable t;
    CHECK(parse(&t, "id,v\na,\xC3\x28\n", NULL, &d) == -1);
    CHECK(has_msg(&d, "t.csv:2: not valid UTF-8"));
    tio_table_free(&t);
    CHECK(tio_utf8_bad("ok \xE6\x97\xA5", 6) == -1);
    CHECK(tio_utf8_bad("\xC0\x80", 2) == 0);          /* overlong */
    CHECK(tio_utf8_bad("ab\xED\xA0\x80", 5) == 2);    /* surrogate */
    CHECK(tio_utf8_bad("a\0b", 3) == 1);
    int line = 0;
    char err[64];
    CHECK(tio_text_start("x\ny\0", 4, &line, err, sizeof err) == -1);
    CHECK(line == 2 && strcmp(err, "contains a NUL byte") == 0);
    diag_free(&d);
}

TEST(empty_file_needs_a_header)
{
    Diag d;
    diag_init(&d);
    TioTable t;
    CHECK(parse(&t, "", NULL, &d) == -1);
    CHECK(has_msg(&d, "t.csv:1: empty file: a header row is required"));
    tio_table_free(&t);
    CHECK(parse(&t, "\n\r\n", NULL, &d) == -1);
    CHECK(d.total == 2);
    tio_table_free(&t);
    diag_free(&d);
}

TEST(syntax_error_names_its_line_and_is_the_only_message)
{
    Diag d;
    diag_init(&d);
    TioTable t;
    static const char *const req[] = {"nope", NULL};
    CHECK(parse(&t, "id,v\na,1\nb,\"x\"y\n", req, &d) == -1);
    CHECK(d.total == 1 && strncmp(d.msg[0], "t.csv:3: CSV syntax: ", 21) == 0);
    tio_table_free(&t);
    diag_free(&d);
}

static char *tmp_file(const char *text, size_t n)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = P_tmpdir;
    char *path = path_join(dir, "fuelsim-textio-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) { free(path); return NULL; }
    if (write(fd, text, n) != (ssize_t)n) { close(fd); unlink(path); free(path); return NULL; }
    close(fd);
    return path;
}

TEST(whole_file_read_respects_the_size_limit)
{
    char *p = tmp_file("hello\n", 6);
    CHECK(p != NULL);
    if (!p) return;
    size_t len = 0;
    char err[128];
    char *s = tio_read_file(p, TIO_MAX_BYTES, &len, err, sizeof err);
    CHECK(s && len == 6 && strcmp(s, "hello\n") == 0);
    free(s);
    CHECK(tio_read_file(p, 5, &len, err, sizeof err) == NULL);
    CHECK(strcmp(err, "larger than 5 bytes") == 0);
    unlink(p);
    free(p);
    CHECK(tio_read_file("build/tests/no/such/file", TIO_MAX_BYTES, &len, err, sizeof err) == NULL);
    CHECK(strncmp(err, "cannot open: ", 13) == 0);
    CHECK(tio_read_file("tests/unit", TIO_MAX_BYTES, &len, err, sizeof err) == NULL);   /* a folder of the tree: exists in every build */
    CHECK(strcmp(err, "not a regular file") == 0);
    p = tmp_file("", 0);
    s = p ? tio_read_file(p, TIO_MAX_BYTES, &len, err, sizeof err) : NULL;
    CHECK(s && len == 0 && s[0] == 0);
    free(s);
    if (p) unlink(p);
    free(p);
}

typedef struct Seen { int n; int line[8]; char first[8][16]; } Seen;

static int seen_row(void *ctx, TioRow *r)
{
    Seen *s = ctx;
    if (s->n < 8) {
        s->line[s->n] = r->line;
        snprintf(s->first[s->n], sizeof s->first[0], "%s", r->f[0]);
    }
    s->n++;
    return 0;
}

TEST(stream_in_small_pieces_gives_the_same_rows_and_lines)
{
    const char *text = "\xEF\xBB\xBFk,note\r\nA,\"x\r\ny\"\r\n\r\nB,z\r\nC\r\n";
    Seen s = {0};
    char err[128] = "";
    TioCsvSpec spec = {0};
    spec.file = "s.csv";
    spec.row = seen_row;
    spec.ctx = &s;
    spec.err = err;
    spec.errlen = sizeof err;
    TioCsv *c = tio_csv_new(&spec);
    int rc = 0;
    for (size_t i = 0; text[i] && rc == 0; i++) rc = tio_csv_feed(c, text + i, 1);
    if (rc == 0) rc = tio_csv_finish(c);
    CHECK(rc == 0);
    CHECK(tio_csv_col(c, "note") == 1 && tio_csv_col(c, "x") == -1);
    CHECK(tio_csv_problems(c) == 1);
    CHECK(strcmp(err, "s.csv:6: row has 1 fields, the header has 2") == 0);
    tio_csv_free(c);
    CHECK(s.n == 2 && s.line[0] == 2 && s.line[1] == 5);
    CHECK(strcmp(s.first[0], "A") == 0 && strcmp(s.first[1], "B") == 0);
}

TEST(stream_delivers_no_rows_when_a_required_column_is_missing)
{
    const char *text = "k,v\nA,1\nB\n";
    static const char *const req[] = {"k", "w", NULL};
    Seen s = {0};
    Diag d;
    diag_init(&d);
    TioCsvSpec spec = {0};
    spec.file = "s.csv";
    spec.required = req;
    spec.row = seen_row;
    spec.ctx = &s;
    spec.d = &d;
    TioCsv *c = tio_csv_new(&spec);
    int rc = tio_csv_feed(c, text, strlen(text));
    if (rc == 0) rc = tio_csv_finish(c);
    CHECK(rc == 0 && s.n == 0);
    CHECK(d.total == 2 && has_msg(&d, "s.csv:1: missing column 'w'"));
    CHECK(has_msg(&d, "s.csv:3: row has 1 fields, the header has 2"));
    tio_csv_free(c);
    diag_free(&d);
}

static int stop_at_second(void *ctx, TioRow *r)
{
    (void)r;
    return ++*(int *)ctx == 2 ? 7 : 0;
}

TEST(stream_from_file_stops_with_the_callbacks_code)
{
    const char *text = "h\n1\n2\n3\n";
    char *p = tmp_file(text, strlen(text));
    CHECK(p != NULL);
    if (!p) return;
    int n = 0;
    TioCsvSpec spec = {0};
    spec.file = p;
    spec.row = stop_at_second;
    spec.ctx = &n;
    CHECK(tio_csv_stream(p, &spec) == 7 && n == 2);
    unlink(p);
    free(p);
    char err[128] = "";
    spec.err = err;
    spec.errlen = sizeof err;
    spec.file = "gone.csv";
    CHECK(tio_csv_stream("build/tests/gone.csv", &spec) == -1);
    CHECK(strncmp(err, "gone.csv: ", 10) == 0);
}

int main(void)
{
    RUN(line_of_offset_counts_newlines_before_it);
    RUN(bom_is_skipped_and_rows_keep_their_lines);
    RUN(crlf_line_ends_are_accepted);
    RUN(row_with_quoted_field_spanning_lines_has_the_line_it_starts_on);
    RUN(missing_column_is_named_at_the_header_line);
    RUN(row_of_wrong_width_is_reported_and_kept_out);
    RUN(invalid_utf8_and_nul_are_reported_with_their_line);
    RUN(empty_file_needs_a_header);
    RUN(syntax_error_names_its_line_and_is_the_only_message);
    RUN(whole_file_read_respects_the_size_limit);
    RUN(stream_in_small_pieces_gives_the_same_rows_and_lines);
    RUN(stream_delivers_no_rows_when_a_required_column_is_missing);
    RUN(stream_from_file_stops_with_the_callbacks_code);
    return check_done();
}
