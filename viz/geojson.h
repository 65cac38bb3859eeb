/* GeoJSON (RFC 7946) in both directions: building a FeatureCollection of
 * points and lines for GIS tools (coordinates [lon, lat], WGS84, at most 6
 * decimals), and reading the shapes of a map layer such as the coastline.
 * Built on cJSON; properties are plain cJSON objects the caller fills. */
#ifndef FUELSIM_GEOJSON_H
#define FUELSIM_GEOJSON_H

#include <cjson/cJSON.h>

/* A new empty {"type": "FeatureCollection", "features": []}; free with
 * cJSON_Delete. */
cJSON *gj_collection_new(void);

/* Append a Point or LineString feature (lonlat: n pairs lon, lat; n >= 2) to
 * the collection; returns its "properties" object, owned by the collection,
 * for the caller to fill. */
cJSON *gj_add_point(cJSON *fc, double lon, double lat);
cJSON *gj_add_line(cJSON *fc, const double *lonlat, int n);

/* Write the collection to path, whole (temporary file and rename), ending
 * with a newline. Returns 0, or -1 with errno set. */
int gj_write(const char *path, const cJSON *fc);

/* The shapes of a layer read back: every Polygon and MultiPolygon part is
 * one shape with fill = 1 (its rings, exterior first), every LineString and
 * MultiLineString part one shape with fill = 0 (one ring). */
typedef struct GjShape {
    int fill;
    int nring;
    int *start;        /* nring + 1 offsets into pt, in points */
    double *pt;        /* lon, lat pairs */
} GjShape;

typedef struct GjLayer {
    int n;
    GjShape *shape;
    double lon0, lat0, lon1, lat1;   /* bounding box of all points */
} GjLayer;

/* Read path into *out (zeroed first). Features with other geometry types are
 * skipped. Returns 0, or -1 with a message "path:line: ..." in err (n bytes);
 * *out is then empty. Free with gj_layer_free. */
int gj_layer_read(const char *path, GjLayer *out, char *err, int n);
void gj_layer_free(GjLayer *l);   /* NULL ok; leaves the layer empty */

#endif
