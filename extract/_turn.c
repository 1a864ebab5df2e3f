/* Pillow's bicubic affine transform of an 8-bit grey image, pixel for pixel, three
 * times as fast: the turn of a scanned page before OCR (`extract.raster.turned_area`).
 *
 * Pillow (libImaging/Geometry.c: ImagingGenericTransform, affine_transform,
 * bicubic_filter8) computes each output pixel through two calls by pointer, with the
 * edge tests of every tap. Here the source point of each pixel of an output row is
 * computed as Pillow computes it, and the row is cut into runs whose sixteen taps lie
 * inside the image, on the same four source rows and the same column offset: a run is
 * a loop the compiler vectorizes; a pixel by the image's edge takes Pillow's clipped
 * taps. The arithmetic is Pillow's, operation for operation, in IEEE double precision:
 * built with -ffp-contract=off (no fused multiply-add), every lane of a vector gives
 * the bits Pillow's scalar code gives, so the page Tesseract reads, and every fact read
 * from it, is the same. tests/test_raster.py holds it to Pillow's own transform.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>

/* Pillow's macros, as written there: the first pass takes uint8 taps (integer
 * arithmetic for p1..p4, exact), the second the rows' doubles. */
#define FLOOR(v) ((v) < 0.0 ? ((int)floor(v)) : ((int)(v)))
#define BICUBIC(v, v1, v2, v3, v4, d)                \
    {                                                \
        double p1 = v2;                              \
        double p2 = -v1 + v3;                        \
        double p3 = 2 * (v1 - v2) + v3 - v4;         \
        double p4 = -v1 + v2 - v3 + v4;              \
        v = p1 + (d) * (p2 + (d) * (p3 + (d) * p4)); \
    }
#define CLIP(q, size) (((q) < 0) ? 0 : ((q) < (size)) ? (q) : (size) - 1)
#define OUTSIDE INT32_MIN /* a pixel whose source point is off the image keeps the fill */

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
/* a second build of the run loop for AVX2, chosen at load time where the CPU has it */
#define VECTOR_CLONES __attribute__((target_clones("default", "avx2")))
#else
#define VECTOR_CLONES
#endif

/* One run of `n` output pixels: pixel i reads columns i..i+3 of the four rows. */
VECTOR_CLONES static void
run(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, const uint8_t *r3,
    const double *dx, const double *dy, uint8_t *out, Py_ssize_t n) {
    /* Py_ssize_t, not int: Python builds extensions with -fwrapv, under which an int index
     * may wrap and the loop is not vectorized (a third slower) */
    for (Py_ssize_t i = 0; i < n; i++) {
        double v1, v2, v3, v4, v;
        double d = dx[i];
        BICUBIC(v1, r0[i], r0[i + 1], r0[i + 2], r0[i + 3], d);
        BICUBIC(v2, r1[i], r1[i + 1], r1[i + 2], r1[i + 3], d);
        BICUBIC(v3, r2[i], r2[i + 1], r2[i + 2], r2[i + 3], d);
        BICUBIC(v4, r3[i], r3[i + 1], r3[i + 2], r3[i + 3], d);
        BICUBIC(v, v1, v2, v3, v4, dy[i]);
        int truncated = (int)v;
        out[i] = (uint8_t)(v <= 0.0 ? 0 : (v >= 255.0 ? 255 : truncated));
    }
}

/* Pillow's bicubic_filter8 for a point by the image's edge: taps clipped to it. */
static uint8_t
edge_pixel(const uint8_t *src, int xsize, int ysize, int x, int y, double dx, double dy) {
    double v1, v2, v3, v4, v;
    int x0 = CLIP(x, xsize), x1 = CLIP(x + 1, xsize), x2 = CLIP(x + 2, xsize), x3 = CLIP(x + 3, xsize);
    const uint8_t *in = src + (Py_ssize_t)CLIP(y, ysize) * xsize;
    BICUBIC(v1, in[x0], in[x1], in[x2], in[x3], dx);
    if (y + 1 >= 0 && y + 1 < ysize) {
        in = src + (Py_ssize_t)(y + 1) * xsize;
        BICUBIC(v2, in[x0], in[x1], in[x2], in[x3], dx);
    } else {
        v2 = v1;
    }
    if (y + 2 >= 0 && y + 2 < ysize) {
        in = src + (Py_ssize_t)(y + 2) * xsize;
        BICUBIC(v3, in[x0], in[x1], in[x2], in[x3], dx);
    } else {
        v3 = v2;
    }
    if (y + 3 >= 0 && y + 3 < ysize) {
        in = src + (Py_ssize_t)(y + 3) * xsize;
        BICUBIC(v4, in[x0], in[x1], in[x2], in[x3], dx);
    } else {
        v4 = v3;
    }
    BICUBIC(v, v1, v2, v3, v4, dy);
    return v <= 0.0 ? 0 : (v >= 255.0 ? 255 : (uint8_t)v);
}

static void
transform(const uint8_t *src, int xsize, int ysize, uint8_t *dst, int width, int height,
          const double a[6], double *dx, double *dy, int *ix, int *iy) {
    for (int oy = 0; oy < height; oy++) {
        uint8_t *out = dst + (Py_ssize_t)oy * width;
        double yo = oy + 0.5;
        for (int i = 0; i < width; i++) { /* affine_transform, then BICUBIC_HEAD */
            double xo = i + 0.5;
            double xin = a[0] * xo + a[1] * yo + a[2];
            double yin = a[3] * xo + a[4] * yo + a[5];
            /* Pillow's test, written so that a point that is not a number (huge
             * coefficients: inf - inf) is outside too, never a tap read from anywhere */
            if (!(xin >= 0.0 && xin < xsize && yin >= 0.0 && yin < ysize)) {
                ix[i] = OUTSIDE;
                continue;
            }
            xin -= 0.5;
            yin -= 0.5;
            int x = FLOOR(xin), y = FLOOR(yin);
            dx[i] = xin - x;
            dy[i] = yin - y;
            ix[i] = x - 1;
            iy[i] = y - 1;
        }
        int i = 0;
        while (i < width) {
            int x = ix[i], y = iy[i];
            if (x == OUTSIDE) {
                i++;
            } else if (x < 0 || x + 3 >= xsize || y < 0 || y + 3 >= ysize) {
                out[i] = edge_pixel(src, xsize, ysize, x, y, dx[i], dy[i]);
                i++;
            } else {
                int shift = x - i, end = i + 1;
                while (end < width && iy[end] == y && ix[end] == shift + end && ix[end] + 3 < xsize) {
                    end++;
                }
                const uint8_t *r0 = src + (Py_ssize_t)y * xsize + shift + i;
                run(r0, r0 + xsize, r0 + 2 * xsize, r0 + 3 * xsize, dx + i, dy + i, out + i, end - i);
                i = end;
            }
        }
    }
}

static PyObject *
bicubic_affine(PyObject *self, PyObject *args) {
    Py_buffer source;
    int xsize, ysize, width, height, fill;
    double a[6];
    if (!PyArg_ParseTuple(args, "y*(ii)(ii)(dddddd)i:bicubic_affine", &source, &xsize, &ysize,
                          &width, &height, &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &fill)) {
        return NULL;
    }
    for (int k = 0; k < 6; k++) {
        if (!isfinite(a[k])) {
            PyBuffer_Release(&source);
            return PyErr_Format(PyExc_ValueError, "bicubic_affine: the map's coefficients must be finite");
        }
    }
    if (xsize <= 0 || ysize <= 0 || width < 0 || height < 0 || source.len != (Py_ssize_t)xsize * ysize) {
        PyBuffer_Release(&source);
        return PyErr_Format(PyExc_ValueError, "bicubic_affine: %zd bytes are not a %d x %d image",
                            source.len, xsize, ysize);
    }
    PyObject *result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)width * height);
    double *coordinates = PyMem_RawMalloc(sizeof(double) * 2 * ((size_t)width + 1));
    int *taps = PyMem_RawMalloc(sizeof(int) * 2 * ((size_t)width + 1));
    if (result == NULL || coordinates == NULL || taps == NULL) {
        Py_XDECREF(result);
        PyMem_RawFree(coordinates);
        PyMem_RawFree(taps);
        PyBuffer_Release(&source);
        return PyErr_NoMemory();
    }
    uint8_t *dst = (uint8_t *)PyBytes_AS_STRING(result);
    Py_BEGIN_ALLOW_THREADS
    memset(dst, fill, (size_t)width * height);
    transform((const uint8_t *)source.buf, xsize, ysize, dst, width, height, a,
              coordinates, coordinates + width + 1, taps, taps + width + 1);
    Py_END_ALLOW_THREADS
    PyMem_RawFree(coordinates);
    PyMem_RawFree(taps);
    PyBuffer_Release(&source);
    return result;
}

static PyMethodDef methods[] = {
    {"bicubic_affine", bicubic_affine, METH_VARARGS,
     "bicubic_affine(source, (xsize, ysize), (width, height), (a, b, c, d, e, f), fill) -> bytes\n\n"
     "The 8-bit grey image `source` (xsize*ysize bytes, row by row) transformed as\n"
     "Image.transform((width, height), Image.AFFINE, (a, b, c, d, e, f), Image.BICUBIC,\n"
     "fillcolor=fill) transforms it: the same bytes."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_turn",
                                    "Pillow's bicubic affine transform of a grey image, faster.", -1, methods};

PyMODINIT_FUNC
PyInit__turn(void) {
    return PyModule_Create(&module);
}
