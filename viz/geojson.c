/* GeoJSON writing for GIS tools and reading of map layers. Writing rounds
 * coordinates to 6 decimals (about 0.1 m, RFC 7946 section 11.2) so that
 * files stay small and print the same on every machine. */
#include "geojson.h"

#include "textio.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Map layers may be larger than scenario tables (coastlines). */
#define GJ_MAX_BYTES (256L << 20)

static double r6(double v)
{
    return round(v * 1e6) / 1e6;
}

cJSON *gj_collection_new(void)
{
    cJSON *fc = cJSON_CreateObject();
    cJSON_AddStringToObject(fc, "type", "FeatureCollection");
    cJSON_AddArrayToObject(fc, "features");
    return fc;
}

static cJSON *pos(double lon, double lat)
{
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, cJSON_CreateNumber(r6(lon)));
    cJSON_AddItemToArray(a, cJSON_CreateNumber(r6(lat)));
    return a;
}

static cJSON *add_feature(cJSON *fc, const char *type, cJSON *coords)
{
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "type", "Feature");
    cJSON *g = cJSON_AddObjectToObject(f, "geometry");
    cJSON_AddStringToObject(g, "type", type);
    cJSON_AddItemToObject(g, "coordinates", coords);
    cJSON *props = cJSON_AddObjectToObject(f, "properties");
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(fc, "features"), f);
    return props;
}

cJSON *gj_add_point(cJSON *fc, double lon, double lat)
{
    return add_feature(fc, "Point", pos(lon, lat));
}

cJSON *gj_add_line(cJSON *fc, const double *lonlat, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) cJSON_AddItemToArray(a, pos(lonlat[2 * i], lonlat[2 * i + 1]));
    return add_feature(fc, "LineString", a);
}

int gj_write(const char *path, const cJSON *fc)
{
    char *text = cJSON_PrintUnformatted(fc);
    if (!text) { errno = ENOMEM; return -1; }
    /* one feature per line: readable in a diff, still compact */
    size_t n = strlen(text);
    char *out = xmalloc(2 * n + 2);
    size_t o = 0;
    int depth = 0, in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        out[o++] = c;
        if (in_str) {
            if (c == '\\' && i + 1 < n) out[o++] = text[++i];
            else if (c == '"') in_str = 0;
            continue;
        }
        if (c == '"') in_str = 1;
        else if (c == '{' || c == '[') depth++;
        else if (c == '}' || c == ']') depth--;
        else if (c == ',' && depth == 2 && i + 1 < n && text[i + 1] == '{') out[o++] = '\n';
        if (c == '[' && depth == 2 && i + 1 < n && text[i + 1] == '{') out[o++] = '\n';
    }
    out[o++] = '\n';
    out[o] = 0;
    cJSON_free(text);
    int rc = out_write_string(path, out);
    free(out);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct Reader {
    GjLayer *l;
    int cap;
} Reader;

static int is_pos(const cJSON *p)
{
    return cJSON_IsArray(p) && cJSON_GetArraySize(p) >= 2 && cJSON_IsNumber(cJSON_GetArrayItem(p, 0)) &&
           cJSON_IsNumber(cJSON_GetArrayItem(p, 1));
}

/* Append one shape from an array of rings (each an array of positions). */
static int add_shape(Reader *r, const cJSON *rings, int fill)
{
    int nring = cJSON_GetArraySize(rings), npt = 0;
    const cJSON *ring, *p;
    cJSON_ArrayForEach(ring, rings) {
        if (!cJSON_IsArray(ring)) return -1;
        cJSON_ArrayForEach(p, ring) {
            if (!is_pos(p)) return -1;
            npt++;
        }
    }
    if (nring == 0 || npt == 0) return 0;
    GjLayer *l = r->l;
    xgrow((void **)&l->shape, &r->cap, l->n + 1, sizeof *l->shape);
    GjShape *s = &l->shape[l->n++];
    s->fill = fill;
    s->nring = nring;
    s->start = xmalloc(((size_t)nring + 1) * sizeof *s->start);
    s->pt = xmalloc((size_t)npt * 2 * sizeof *s->pt);
    int k = 0, i = 0;
    cJSON_ArrayForEach(ring, rings) {
        s->start[i++] = k;
        cJSON_ArrayForEach(p, ring) {
            double lon = cJSON_GetArrayItem(p, 0)->valuedouble, lat = cJSON_GetArrayItem(p, 1)->valuedouble;
            s->pt[2 * k] = lon;
            s->pt[2 * k + 1] = lat;
            k++;
            if (lon < l->lon0) l->lon0 = lon;
            if (lon > l->lon1) l->lon1 = lon;
            if (lat < l->lat0) l->lat0 = lat;
            if (lat > l->lat1) l->lat1 = lat;
        }
    }
    s->start[nring] = k;
    return 0;
}

static int add_geometry(Reader *r, const cJSON *g)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(g, "type");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(g, "coordinates");
    if (!cJSON_IsString(type)) return -1;
    const char *t = type->valuestring;
    if (!strcmp(t, "GeometryCollection")) {
        const cJSON *gs = cJSON_GetObjectItemCaseSensitive(g, "geometries"), *x;
        cJSON_ArrayForEach(x, gs) if (add_geometry(r, x) != 0) return -1;
        return 0;
    }
    if (!cJSON_IsArray(c)) return strcmp(t, "Point") && strcmp(t, "MultiPoint") ? -1 : 0;
    if (!strcmp(t, "LineString")) {
        cJSON *wrap = cJSON_CreateArray();
        cJSON_AddItemReferenceToArray(wrap, (cJSON *)c);
        int rc = add_shape(r, wrap, 0);
        cJSON_Delete(wrap);
        return rc;
    }
    const cJSON *part;
    if (!strcmp(t, "MultiLineString")) {
        cJSON_ArrayForEach(part, c) {
            cJSON *wrap = cJSON_CreateArray();
            cJSON_AddItemReferenceToArray(wrap, (cJSON *)part);
            int rc = add_shape(r, wrap, 0);
            cJSON_Delete(wrap);
            if (rc) return -1;
        }
        return 0;
    }
    if (!strcmp(t, "Polygon")) return add_shape(r, c, 1);
    if (!strcmp(t, "MultiPolygon")) {
        cJSON_ArrayForEach(part, c) if (add_shape(r, part, 1) != 0) return -1;
        return 0;
    }
    return 0;   /* points and unknown types draw nothing on a base map */
}

int gj_layer_read(const char *path, GjLayer *out, char *err, int n)
{
    memset(out, 0, sizeof *out);
    out->lon0 = out->lat0 = INFINITY;
    out->lon1 = out->lat1 = -INFINITY;
    size_t len = 0;
    char why[256];
    char *text = tio_read_file(path, GJ_MAX_BYTES, &len, why, sizeof why);
    if (!text) {
        snprintf(err, (size_t)n, "%s: %s", path, why);
        return -1;
    }
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!j) {
        size_t off = end ? (size_t)(end - text) : 0;
        if (off > len) off = len;
        snprintf(err, (size_t)n, "%s:%d: not valid JSON", path, tio_line_of(text, off));
        free(text);
        return -1;
    }
    free(text);
    Reader r = {out, 0};
    int bad = 0;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(j, "type");
    if (cJSON_IsString(type) && !strcmp(type->valuestring, "FeatureCollection")) {
        const cJSON *fs = cJSON_GetObjectItemCaseSensitive(j, "features"), *ft;
        if (!cJSON_IsArray(fs)) bad = 1;
        cJSON_ArrayForEach(ft, fs) {
            const cJSON *g = cJSON_GetObjectItemCaseSensitive(ft, "geometry");
            if (cJSON_IsNull(g)) continue;
            if (!cJSON_IsObject(g) || add_geometry(&r, g) != 0) { bad = 1; break; }
        }
    } else if (cJSON_IsString(type) && !strcmp(type->valuestring, "Feature")) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(j, "geometry");
        bad = !cJSON_IsNull(g) && (!cJSON_IsObject(g) || add_geometry(&r, g) != 0);
    } else {
        bad = !cJSON_IsObject(j) || add_geometry(&r, j) != 0;
    }
    cJSON_Delete(j);
    if (bad) {
        snprintf(err, (size_t)n, "%s: not a GeoJSON layer of lines and polygons", path);
        gj_layer_free(out);
        return -1;
    }
    return 0;
}

void gj_layer_free(GjLayer *l)
{
    if (!l) return;
    for (int i = 0; i < l->n; i++) {
        free(l->shape[i].start);
        free(l->shape[i].pt);
    }
    free(l->shape);
    memset(l, 0, sizeof *l);
}
