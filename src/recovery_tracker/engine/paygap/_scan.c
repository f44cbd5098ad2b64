/*
 * One pass over a checked-typed payroll: every per-row check, each row's cell, and the packed
 * sort keys (cell << shift | pay) for hourly pay and bonus pay, on two threads.
 *
 * Why C: the report's per-row work is a dozen simple steps (reg 6 hourly rate, rounding to
 * millionths, table lookups, comparisons). As separate Polars operations each step is its own pass
 * over 10 million rows with its own 80 MB result; here it is one pass that only writes the keys.
 * The Polars route in ``reader.py`` and ``cells.py`` stays the reference: it gives the precise
 * problem list for a bad file and is used whenever this module is not built. Tests compare both.
 *
 * Input: one Arrow C stream per column (``Series.__arrow_c_stream__()``, which shares Polars' chunks
 * without copying), for those of ROLE_* that ``present`` marks: employee_id as text (utf8, large utf8
 * or utf8 view), the four text columns as uint32 category ids or as text, the money and hours
 * columns as float64.
 * Arithmetic is plain IEEE double, in the order Polars evaluates it, with no contraction into
 * fused multiply-adds (see the build flags), and rint() rounds half to even as Polars' round() does.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The Arrow C data interface (https://arrow.apache.org/docs/format/CDataInterface.html). */
struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};

struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};

struct ArrowArrayStream {
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);
    void (*release)(struct ArrowArrayStream *);
    void *private_data;
};

enum {
    ROLE_ID,
    ROLE_SEX,
    ROLE_FULL_PAY,
    ROLE_ETHNICITY,
    ROLE_DISABILITY,
    ROLE_HOURLY_PAY,
    ROLE_ORDINARY_PAY,
    ROLE_PERIOD_BONUS_PAY,
    ROLE_PAY_PERIOD_DAYS,
    ROLE_WEEKLY_HOURS,
    ROLE_BONUS_PAY,
    ROLES
};

enum { TEXT_UTF8, TEXT_LARGE_UTF8, TEXT_VIEW };

#define MAX_CELLS 256
#define THREADS 2
#define MONEY_SCALE 1e6

typedef struct {
    const uint8_t *validity; /* NULL: no nulls */
    const void *values;      /* float64 / uint32 values, utf8 offsets, or 16-byte views */
    const char *data;        /* utf8 and large utf8: the character data */
    const char *const *view_buffers;
    int64_t offset;
    int text_kind; /* text columns: TEXT_*; otherwise -1 */
} Column;

typedef struct {
    int64_t length;
    Column columns[ROLES];
} Batch;

/* A text value the caller has already classified, and its value (cell contribution, or yes/no answer). */
typedef struct {
    const char *bytes;
    int64_t length;
    uint64_t hash;
    int64_t value;
} Known;

/* How a text column's row becomes a value: by category id through ``table``, or by its text through
   ``known`` (an open-addressing table of the values the caller has classified so far). */
typedef struct {
    int present, by_text;
    const int64_t *table; /* by id; entry [size] is for a blank cell */
    int64_t size;
    const Known *known; /* by text: capacity mask + 1, empty slots have bytes == NULL */
    uint64_t mask;
    int64_t blank;
} Lookup;

#define CACHE 256
#define MAX_UNKNOWN 64

/* Per thread and text column: the last values seen by their 16-byte string view (a view fully
   identifies a short string, and rows decoded from one dictionary page share the views of long ones),
   and the texts not yet classified. */
typedef struct {
    uint64_t a[CACHE], b[CACHE];
    int64_t value[CACHE];
    uint8_t used[CACHE];
    const char *unknown[MAX_UNKNOWN];
    int64_t unknown_length[MAX_UNKNOWN];
    int n_unknown;
} TextState;

typedef struct {
    /* shared, read-only */
    const Batch *batches;
    int64_t n_batches;
    unsigned present;
    Lookup lookups[ROLE_DISABILITY + 1]; /* sex, full_pay (0 no, 1 yes, 2 not a yes/no value), ethnicity, disability */
    int shift;
    int64_t *hourly_out; /* NULL: checks only */
    int64_t *bonus_out;
    /* this thread's rows [start, stop) */
    int64_t start, stop;
    /* results */
    int64_t hourly_count, bonus_count;
    int problem;        /* some row needs the Polars route to say (or decide) what is wrong */
    int not_increasing; /* employee ids not strictly increasing (duplicates possible) */
    int64_t relevant[MAX_CELLS];
    unsigned __int128 hourly_sum[MAX_CELLS], bonus_sum[MAX_CELLS];
    int64_t hourly_max, bonus_max;
    const char *first_id, *last_id;
    int64_t first_id_len, last_id_len;
    int first_id_valid, last_id_valid;
    int unclassified; /* some text is not classified yet: the caller classifies it and runs again */
    TextState text[ROLE_DISABILITY + 1];
} Work;

static inline int valid(const Column *column, int64_t row) {
    if (column->validity == NULL) return 1;
    int64_t at = column->offset + row;
    return (column->validity[at >> 3] >> (at & 7)) & 1;
}

static inline double f64(const Column *column, int64_t row) {
    return ((const double *)column->values)[column->offset + row];
}

static inline uint32_t u32(const Column *column, int64_t row) {
    return ((const uint32_t *)column->values)[column->offset + row];
}

static inline const char *text(const Column *column, int64_t row, int64_t *length) {
    int64_t at = column->offset + row;
    const int kind = column->text_kind;
    if (kind == TEXT_VIEW) {
        const uint8_t *view = (const uint8_t *)column->values + 16 * at;
        int32_t size;
        memcpy(&size, view, 4);
        *length = size;
        if (size <= 12) return (const char *)view + 4;
        int32_t buffer, start;
        memcpy(&buffer, view + 8, 4);
        memcpy(&start, view + 12, 4);
        return column->view_buffers[buffer] + start;
    }
    if (kind == TEXT_UTF8) {
        const int32_t *offsets = (const int32_t *)column->values;
        *length = offsets[at + 1] - offsets[at];
        return column->data + offsets[at];
    }
    const int64_t *offsets = (const int64_t *)column->values;
    *length = offsets[at + 1] - offsets[at];
    return column->data + offsets[at];
}

/* Bytes read as a big-endian number, so that comparing numbers compares the bytes in order. Arrow
   buffers are in the machine's own byte order; only these two loads depend on it. A compiler that
   does not say which order it builds for stops the build (the engine then takes its Polars route). */
#if !defined(__BYTE_ORDER__) || !defined(__ORDER_LITTLE_ENDIAN__) || !defined(__ORDER_BIG_ENDIAN__)
#error "_scan.c needs __BYTE_ORDER__ (GCC or Clang) to read text as big-endian numbers"
#elif __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SCAN_BYTE_ORDER "little"
static inline uint64_t load_be64(const char *bytes) {
    uint64_t value;
    memcpy(&value, bytes, 8);
    return __builtin_bswap64(value);
}

static inline uint32_t load_be32(const char *bytes) {
    uint32_t value;
    memcpy(&value, bytes, 4);
    return __builtin_bswap32(value);
}
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SCAN_BYTE_ORDER "big"
static inline uint64_t load_be64(const char *bytes) {
    uint64_t value;
    memcpy(&value, bytes, 8);
    return value;
}

static inline uint32_t load_be32(const char *bytes) {
    uint32_t value;
    memcpy(&value, bytes, 4);
    return value;
}
#else
#error "_scan.c supports little- and big-endian machines only"
#endif

static inline int compare_text(const char *a, int64_t a_len, const char *b, int64_t b_len) {
    int64_t common = a_len < b_len ? a_len : b_len;
    int order = common ? memcmp(a, b, (size_t)common) : 0;
    if (order) return order;
    return (a_len > b_len) - (a_len < b_len);
}

/* Money to whole millionths of a pound, as Polars' (x * 1e6).round().cast(Int64); -1 if it cannot pack. */
static inline int64_t millionths(double amount, int64_t limit) {
    double scaled = rint(amount * MONEY_SCALE);
    if (!(scaled >= 0.0) || scaled >= (double)limit) return -1;
    return (int64_t)scaled;
}

/* A float64 column of one batch, in locals the compiler can keep in registers. */
typedef struct {
    const uint8_t *validity; /* NULL: no nulls (or the column is absent) */
    const double *values;
    int64_t offset;
    int present;
} Numbers;

static inline Numbers numbers(const Column *column, int present) {
    Numbers n = {column->validity, (const double *)column->values, column->offset, present};
    return n;
}

/* The value of row ``row``; *has = 0 (and 0.0) when the column is absent or the cell blank. */
static inline double number(const Numbers *n, int64_t row, int *has) {
    if (!n->present) {
        *has = 0;
        return 0.0;
    }
    int64_t at = n->offset + row;
    if (n->validity && !((n->validity[at >> 3] >> (at & 7)) & 1)) {
        *has = 0;
        return 0.0;
    }
    *has = 1;
    return n->values[at];
}

static inline uint64_t hash_text(const char *bytes, int64_t length) {
    uint64_t hash = 0x9E3779B97F4A7C15ull ^ (uint64_t)length;
    for (; length >= 8; bytes += 8, length -= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        hash = (hash ^ word) * 0xff51afd7ed558ccdull;
        hash ^= hash >> 32;
    }
    uint64_t tail = 0;
    memcpy(&tail, bytes, (size_t)length);
    hash = (hash ^ tail) * 0xc4ceb9fe1a85ec53ull;
    return hash ^ (hash >> 29);
}

static const Known *find_known(const Lookup *lookup, const char *bytes, int64_t length, uint64_t hash) {
    for (uint64_t slot = hash & lookup->mask;; slot = (slot + 1) & lookup->mask) {
        const Known *known = &lookup->known[slot];
        if (known->bytes == NULL) return NULL;
        if (known->hash == hash && known->length == length && memcmp(known->bytes, bytes, (size_t)length) == 0)
            return known;
    }
}

static void note_unknown(TextState *state, const char *bytes, int64_t length) {
    for (int i = 0; i < state->n_unknown; i++)
        if (state->unknown_length[i] == length && memcmp(state->unknown[i], bytes, (size_t)length) == 0) return;
    if (state->n_unknown == MAX_UNKNOWN) return; /* the rest wait for the next pass */
    state->unknown[state->n_unknown] = bytes;
    state->unknown_length[state->n_unknown++] = length;
}

/* The row's value under ``lookup``; *unclassified for a category id beyond the table (a category the
   caller had not seen when it built the table) or a text not classified yet. */
static inline int64_t look_up(const Lookup *lookup, const Column *column, TextState *state, int64_t row,
                              int *unclassified) {
    if (!lookup->present) return 0;
    if (!valid(column, row)) return lookup->blank;
    if (!lookup->by_text) {
        uint32_t id = u32(column, row);
        if ((int64_t)id >= lookup->size) {
            *unclassified = 1;
            return 0;
        }
        return lookup->table[id];
    }
    unsigned slot = 0;
    uint64_t a = 0, b = 0;
    if (column->text_kind == TEXT_VIEW) {
        const char *view = (const char *)column->values + 16 * (column->offset + row);
        memcpy(&a, view, 8);
        memcpy(&b, view + 8, 8);
        slot = (unsigned)(((a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full)) >> 56);
        if (state->used[slot] && state->a[slot] == a && state->b[slot] == b) return state->value[slot];
    }
    int64_t length;
    const char *bytes = text(column, row, &length);
    const Known *known = find_known(lookup, bytes, length, hash_text(bytes, length));
    if (known == NULL) {
        note_unknown(state, bytes, length);
        *unclassified = 1;
        return 0;
    }
    if (column->text_kind == TEXT_VIEW) {
        state->a[slot] = a;
        state->b[slot] = b;
        state->value[slot] = known->value;
        state->used[slot] = 1;
    }
    return known->value;
}

static void *scan_rows(void *argument) {
    Work *work = (Work *)argument;
    const unsigned present = work->present;
#define HAS(role) ((present >> (role)) & 1u)
    const int derived = HAS(ROLE_ORDINARY_PAY) && HAS(ROLE_PAY_PERIOD_DAYS) && HAS(ROLE_WEEKLY_HOURS);
    const int64_t limit = (int64_t)1 << work->shift;
    const int shift = work->shift;
    int64_t *const hourly_out = work->hourly_out, *const bonus_out = work->bonus_out;
    /* Totals in locals, not in *work: stores through work would make the compiler reload every column
       pointer on every row (they might alias). */
    int64_t relevant[MAX_CELLS] = {0};
    unsigned __int128 hourly_sum[MAX_CELLS] = {0}, bonus_sum[MAX_CELLS] = {0};
    int64_t hourly_count = 0, bonus_count = 0, hourly_max = 0, bonus_max = 0;
    int problem = 0, not_increasing = 0, unclassified = 0;
    int64_t first = 0; /* global index of the current batch's first row */
    int have_previous = 0;
    const char *previous = NULL;
    int64_t previous_len = 0;
    for (int64_t b = 0; b < work->n_batches && first < work->stop; first += work->batches[b].length, b++) {
        const Batch *batch = &work->batches[b];
        int64_t from = work->start > first ? work->start - first : 0;
        int64_t to = work->stop - first < batch->length ? work->stop - first : batch->length;
        if (from >= to) continue;
        const Column ids = batch->columns[ROLE_ID], sex = batch->columns[ROLE_SEX];
        const Column full_pay = batch->columns[ROLE_FULL_PAY], ethnicity = batch->columns[ROLE_ETHNICITY];
        const Column disability = batch->columns[ROLE_DISABILITY];
        const Numbers hourly_pay = numbers(&batch->columns[ROLE_HOURLY_PAY], HAS(ROLE_HOURLY_PAY));
        const Numbers ordinary = numbers(&batch->columns[ROLE_ORDINARY_PAY], HAS(ROLE_ORDINARY_PAY));
        const Numbers period_bonus = numbers(&batch->columns[ROLE_PERIOD_BONUS_PAY], HAS(ROLE_PERIOD_BONUS_PAY));
        const Numbers days_in = numbers(&batch->columns[ROLE_PAY_PERIOD_DAYS], HAS(ROLE_PAY_PERIOD_DAYS));
        const Numbers hours_in = numbers(&batch->columns[ROLE_WEEKLY_HOURS], HAS(ROLE_WEEKLY_HOURS));
        const Numbers bonus_in = numbers(&batch->columns[ROLE_BONUS_PAY], 1);
        for (int64_t row = from; row < to; row++) {
            int bad = 0;
            /* employee_id: present, not blank, and (for the cheap duplicate test) above the last one */
            if (!valid(&ids, row)) {
                bad = 1;
            } else {
                int64_t length;
                const char *id = text(&ids, row, &length);
                if (length == 0) bad = 1;
                if (!have_previous) {
                    work->first_id = id;
                    work->first_id_len = length;
                    work->first_id_valid = 1;
                } else if (length <= 12 && previous_len <= 12 && ids.text_kind == TEXT_VIEW) {
                    /* Inline views are zero-padded: compare the 12 bytes as big-endian numbers,
                       then the lengths (so "ab" < "ab\0" < "abc"), with no call to memcmp. */
                    uint64_t high = load_be64(id), previous_high = load_be64(previous);
                    uint32_t low = load_be32(id + 8), previous_low = load_be32(previous + 8);
                    if (high < previous_high ||
                        (high == previous_high && (low < previous_low || (low == previous_low && length <= previous_len))))
                        not_increasing = 1;
                } else if (compare_text(id, length, previous, previous_len) <= 0) {
                    not_increasing = 1;
                }
                previous = id;
                previous_len = length;
                have_previous = 1;
            }
            int new_text = 0;
            int64_t answer = HAS(ROLE_FULL_PAY) ? look_up(&work->lookups[ROLE_FULL_PAY], &full_pay,
                                                          &work->text[ROLE_FULL_PAY], row, &new_text)
                                                : 1;
            bad |= answer == 2;
            int fpre = answer == 1;
            int64_t cell =
                look_up(&work->lookups[ROLE_SEX], &sex, &work->text[ROLE_SEX], row, &new_text) +
                look_up(&work->lookups[ROLE_ETHNICITY], &ethnicity, &work->text[ROLE_ETHNICITY], row, &new_text) +
                look_up(&work->lookups[ROLE_DISABILITY], &disability, &work->text[ROLE_DISABILITY], row, &new_text);
            if (new_text) {
                unclassified = 1;
                continue;
            }
            /* Money must not be negative (NaN counts as a problem too); hours and days above 0. */
            int has_hourly, has_ordinary, has_period_bonus, has_days, has_hours, has_bonus;
            double rate_given = number(&hourly_pay, row, &has_hourly);
            double pay = number(&ordinary, row, &has_ordinary);
            double extra = number(&period_bonus, row, &has_period_bonus);
            double days = number(&days_in, row, &has_days);
            double hours = number(&hours_in, row, &has_hours);
            double bonus = number(&bonus_in, row, &has_bonus);
            bad |= (has_hourly && !(rate_given >= 0.0)) | (has_ordinary && !(pay >= 0.0)) |
                   (has_period_bonus && !(extra >= 0.0)) | (has_days && !(days > 0.0)) |
                   (has_hours && !(hours > 0.0)) | (has_bonus && !(bonus >= 0.0));
            int64_t index = cell >> shift;
            bad |= index < 0 || index >= MAX_CELLS;
            int64_t hourly = 0;
            if (fpre) {
                double rate;
                if (has_hourly) {
                    rate = rate_given;
                } else if (derived && has_ordinary && has_days && has_hours) {
                    /* Reg 6: (ordinary pay + bonus pay in the period) x 7 / days in the period / weekly hours */
                    rate = (pay + extra) * 7.0 / days / hours;
                } else {
                    rate = -1.0; /* a full-pay relevant employee without the pay to rate */
                }
                hourly = millionths(rate, limit);
                bad |= hourly < 0;
            }
            int64_t paid = millionths(bonus, limit);
            bad |= paid < 0;
            if (bad) {
                problem = 1;
                continue;
            }
            relevant[index]++;
            if (fpre) {
                hourly_sum[index] += (uint64_t)hourly;
                if (hourly > hourly_max) hourly_max = hourly;
                if (hourly_out) hourly_out[work->start + hourly_count] = cell + hourly;
                hourly_count++;
            }
            if (paid > 0) {
                bonus_sum[index] += (uint64_t)paid;
                if (paid > bonus_max) bonus_max = paid;
                if (bonus_out) bonus_out[work->start + bonus_count] = cell + paid;
                bonus_count++;
            }
        }
    }
    memcpy(work->relevant, relevant, sizeof(relevant));
    memcpy(work->hourly_sum, hourly_sum, sizeof(hourly_sum));
    memcpy(work->bonus_sum, bonus_sum, sizeof(bonus_sum));
    work->hourly_count = hourly_count;
    work->bonus_count = bonus_count;
    work->hourly_max = hourly_max;
    work->bonus_max = bonus_max;
    work->problem = problem;
    work->not_increasing = not_increasing;
    work->unclassified = unclassified;
    work->last_id = previous;
    work->last_id_len = previous_len;
    work->last_id_valid = have_previous;
#undef HAS
    return NULL;
}

static int text_kind_of(const char *format) {
    if (strcmp(format, "u") == 0) return TEXT_UTF8;
    if (strcmp(format, "U") == 0) return TEXT_LARGE_UTF8;
    if (strcmp(format, "vu") == 0) return TEXT_VIEW;
    return -1;
}

static int expected_format(int role, const char *format) {
    if (role == ROLE_ID) return text_kind_of(format) >= 0;
    if (role <= ROLE_DISABILITY) return strcmp(format, "I") == 0 || text_kind_of(format) >= 0;
    return strcmp(format, "g") == 0;
}

static int get_buffer(PyObject *object, Py_buffer *view, Py_ssize_t item, const char *what) {
    if (PyObject_GetBuffer(object, view, PyBUF_C_CONTIGUOUS | (item ? 0 : PyBUF_WRITABLE)) < 0) return -1;
    if (view->itemsize != (item ? item : 8)) {
        PyErr_Format(PyExc_ValueError, "%s: wrong item size", what);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *int128(unsigned __int128 value) {
    PyObject *high = PyLong_FromUnsignedLongLong((unsigned long long)(value >> 64));
    PyObject *low = PyLong_FromUnsignedLongLong((unsigned long long)value);
    PyObject *sixty_four = PyLong_FromLong(64);
    PyObject *shifted = high && sixty_four ? PyNumber_Lshift(high, sixty_four) : NULL;
    PyObject *result = shifted && low ? PyNumber_Or(shifted, low) : NULL;
    Py_XDECREF(high);
    Py_XDECREF(low);
    Py_XDECREF(sixty_four);
    Py_XDECREF(shifted);
    return result;
}

/* One column's chunks, taken over from its Arrow stream. */
typedef struct {
    struct ArrowArrayStream stream;
    struct ArrowSchema schema;
    struct ArrowArray *chunks;
    int64_t n_chunks, rows;
} Source;

static void source_release(Source *source) {
    for (int64_t i = 0; i < source->n_chunks; i++)
        if (source->chunks[i].release) source->chunks[i].release(&source->chunks[i]);
    free(source->chunks);
    if (source->schema.release) source->schema.release(&source->schema);
    if (source->stream.release) source->stream.release(&source->stream);
}

static int source_take(PyObject *capsule, Source *source) {
    struct ArrowArrayStream *given = PyCapsule_GetPointer(capsule, "arrow_array_stream");
    if (given == NULL) return -1;
    /* Take the stream over (the capsule's destructor then has nothing to release). */
    source->stream = *given;
    given->release = NULL;
    if (source->stream.get_schema(&source->stream, &source->schema) != 0) {
        PyErr_Format(PyExc_RuntimeError, "Arrow stream: %s", source->stream.get_last_error(&source->stream));
        return -1;
    }
    int64_t capacity = 0;
    for (;;) {
        if (source->n_chunks == capacity) {
            capacity = capacity ? 2 * capacity : 64;
            struct ArrowArray *grown = realloc(source->chunks, sizeof(*grown) * capacity);
            if (!grown) {
                PyErr_NoMemory();
                return -1;
            }
            source->chunks = grown;
        }
        struct ArrowArray *chunk = &source->chunks[source->n_chunks];
        if (source->stream.get_next(&source->stream, chunk) != 0) {
            chunk->release = NULL;
            PyErr_Format(PyExc_RuntimeError, "Arrow stream: %s", source->stream.get_last_error(&source->stream));
            return -1;
        }
        if (chunk->release == NULL) return 0; /* end of stream */
        source->n_chunks++;
        source->rows += chunk->length;
    }
}

static void column_at(Column *column, const struct ArrowArray *chunk, int64_t position, int text_kind) {
    column->offset = chunk->offset + position;
    column->validity = chunk->null_count == 0 ? NULL : (const uint8_t *)chunk->buffers[0];
    column->values = chunk->buffers[1];
    column->text_kind = text_kind;
    if (text_kind == TEXT_UTF8 || text_kind == TEXT_LARGE_UTF8) column->data = chunk->buffers[2];
    if (text_kind == TEXT_VIEW) column->view_buffers = (const char *const *)(chunk->buffers + 2);
}

/* A lookup from its Python form: None (column absent), an int64 buffer indexed by category id (the
   last entry for a blank cell), or (list of bytes, int64 buffer of their values, value of a blank cell). */
static int lookup_from(PyObject *object, Lookup *lookup, Py_buffer *buffer, int *held, Known **owned,
                       const char *what) {
    memset(lookup, 0, sizeof(*lookup));
    if (object == Py_None) return 0;
    lookup->present = 1;
    if (!PyTuple_Check(object)) {
        if (get_buffer(object, buffer, 8, what) < 0) return -1;
        *held = 1;
        lookup->table = buffer->buf;
        lookup->size = buffer->len / 8 - 1;
        lookup->blank = lookup->table[lookup->size];
        return 0;
    }
    PyObject *texts, *values;
    long long blank;
    if (!PyArg_ParseTuple(object, "O!OL", &PyList_Type, &texts, &values, &blank)) return -1;
    if (get_buffer(values, buffer, 8, what) < 0) return -1;
    *held = 1;
    Py_ssize_t count = PyList_GET_SIZE(texts);
    if (buffer->len / 8 != count) {
        PyErr_Format(PyExc_ValueError, "%s: one value per text", what);
        return -1;
    }
    uint64_t capacity = 16;
    while (capacity < 2 * (uint64_t)count) capacity *= 2;
    Known *table = calloc(capacity, sizeof(Known));
    if (table == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *owned = table;
    for (Py_ssize_t i = 0; i < count; i++) {
        char *bytes;
        Py_ssize_t length;
        if (PyBytes_AsStringAndSize(PyList_GET_ITEM(texts, i), &bytes, &length) < 0) return -1;
        uint64_t hash = hash_text(bytes, length);
        uint64_t slot = hash & (capacity - 1);
        while (table[slot].bytes != NULL) slot = (slot + 1) & (capacity - 1);
        table[slot] = (Known){bytes, length, hash, ((const int64_t *)buffer->buf)[i]};
    }
    lookup->by_text = 1;
    lookup->known = table;
    lookup->mask = capacity - 1;
    lookup->blank = blank;
    return 0;
}

/*
 * scan(columns, present, sex, full_pay, ethnicity, disability, shift, hourly_out, bonus_out, threads)
 *   -> dict
 *
 * columns: one Arrow stream capsule (``Series.__arrow_c_stream__()``) per role that ``present`` marks,
 * in role order; the columns may be chunked differently; text columns as uint32 category ids or as
 * text. sex, full_pay, ethnicity, disability: lookups (see lookup_from; None when absent) giving the
 * packed cell contribution, or for full_pay 0 no, 1 yes, 2 not a yes/no value. A text column's rows
 * whose text the lookup lacks set ``unclassified``, and up to 64 such texts a column and thread are
 * listed in ``unknown``: the caller classifies them and runs the scan again. hourly_out, bonus_out: writable int64 buffers of one entry per row, or None for checks only;
 * ``not_increasing``: some employee id does not sort after the one before (a repeat is possible);
 * threads: 1, or 2 to split the rows in two halves. The keys fill the first ``hourly_count`` and
 * ``bonus_count`` entries of the output buffers.
 */
static PyObject *scan(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *capsules, *sex_obj, *full_pay_obj, *ethnicity_obj, *disability_obj, *hourly_obj, *bonus_obj;
    unsigned int present;
    int shift, max_threads;
    if (!PyArg_ParseTuple(args, "O!IOOOOiOOi", &PyTuple_Type, &capsules, &present, &sex_obj, &full_pay_obj,
                          &ethnicity_obj, &disability_obj, &shift, &hourly_obj, &bonus_obj, &max_threads))
        return NULL;
    if (shift < 1 || shift > 62) {
        PyErr_SetString(PyExc_ValueError, "shift must be 1..62");
        return NULL;
    }
    PyObject *result = NULL;
    Py_buffer buffers[6];
    int held[6] = {0};
    PyObject *objects[6] = {sex_obj, full_pay_obj, ethnicity_obj, disability_obj, hourly_obj, bonus_obj};
    const char *names[6] = {"sex", "full_pay", "ethnicity", "disability", "hourly_out", "bonus_out"};
    Lookup lookups[ROLE_DISABILITY + 1];
    Known *owned[ROLE_DISABILITY + 1] = {NULL};
    memset(lookups, 0, sizeof(lookups));
    Source sources[ROLES];
    memset(sources, 0, sizeof(sources));
    int role_of[ROLES], n_sources = 0;
    Batch *batches = NULL;
    int64_t n_batches = 0, rows = 0;

    for (int role = 0; role < ROLES; role++)
        if (present & (1u << role)) role_of[n_sources++] = role;
    if (!(present & 1u) || !(present & 2u) || !(present & (1u << ROLE_BONUS_PAY)) ||
        PyTuple_GET_SIZE(capsules) != n_sources) {
        PyErr_SetString(PyExc_ValueError, "one column per present role; employee_id, sex and bonus_pay required");
        return NULL;
    }
    for (int i = 0; i < 4; i++)
        if (lookup_from(objects[i], &lookups[ROLE_SEX + i], &buffers[i], &held[i], &owned[ROLE_SEX + i], names[i]) < 0)
            goto done;
    for (int i = 4; i < 6; i++) {
        if (objects[i] == Py_None) continue;
        if (get_buffer(objects[i], &buffers[i], 0, names[i]) < 0) goto done;
        held[i] = 1;
    }
    for (int role = ROLE_SEX; role <= ROLE_DISABILITY; role++) {
        if (lookups[role].present != (int)((present >> role) & 1u)) {
            PyErr_SetString(PyExc_ValueError, "one lookup for each present text column, none for an absent one");
            goto done;
        }
    }
    for (int i = 0; i < n_sources; i++) {
        if (source_take(PyTuple_GET_ITEM(capsules, i), &sources[i]) < 0) goto done;
        const char *format = sources[i].schema.format;
        if (!expected_format(role_of[i], format)) {
            PyErr_Format(PyExc_ValueError, "column %d has Arrow format %s", i, format);
            goto done;
        }
        if (role_of[i] >= ROLE_SEX && role_of[i] <= ROLE_DISABILITY &&
            lookups[role_of[i]].by_text != (text_kind_of(format) >= 0)) {
            PyErr_Format(PyExc_ValueError, "%s: category ids need a table, text needs texts", names[role_of[i] - 1]);
            goto done;
        }
        if (i > 0 && sources[i].rows != sources[0].rows) {
            PyErr_SetString(PyExc_ValueError, "columns differ in length");
            goto done;
        }
    }
    rows = sources[0].rows;
    /* Split the rows where any column's chunk ends: within a batch every column is one chunk. */
    int64_t capacity = 0, chunk_of[ROLES] = {0}, position_of[ROLES] = {0};
    for (int64_t done_rows = 0; done_rows < rows;) {
        int64_t length = rows - done_rows;
        for (int i = 0; i < n_sources; i++) {
            while (sources[i].chunks[chunk_of[i]].length == position_of[i]) {
                chunk_of[i]++;
                position_of[i] = 0;
            }
            int64_t left = sources[i].chunks[chunk_of[i]].length - position_of[i];
            if (left < length) length = left;
        }
        if (n_batches == capacity) {
            capacity = capacity ? 2 * capacity : 128;
            Batch *grown = realloc(batches, sizeof(*grown) * capacity);
            if (!grown) {
                PyErr_NoMemory();
                goto done;
            }
            batches = grown;
        }
        Batch *batch = &batches[n_batches++];
        memset(batch, 0, sizeof(*batch));
        batch->length = length;
        for (int i = 0; i < n_sources; i++) {
            column_at(&batch->columns[role_of[i]], &sources[i].chunks[chunk_of[i]], position_of[i],
                      text_kind_of(sources[i].schema.format));
            position_of[i] += length;
        }
        done_rows += length;
    }
    if ((held[4] && (int64_t)(buffers[4].len / 8) < rows) || (held[5] && (int64_t)(buffers[5].len / 8) < rows)) {
        PyErr_SetString(PyExc_ValueError, "output buffers need one entry per row");
        goto done;
    }

    Work work[THREADS];
    int threads = rows >= 100000 && max_threads > 1 ? THREADS : 1;
    for (int t = 0; t < threads; t++) {
        memset(&work[t], 0, sizeof(Work));
        work[t].batches = batches;
        work[t].n_batches = n_batches;
        work[t].present = present;
        memcpy(work[t].lookups, lookups, sizeof(lookups));
        work[t].shift = shift;
        work[t].hourly_out = held[4] ? buffers[4].buf : NULL;
        work[t].bonus_out = held[5] ? buffers[5].buf : NULL;
        work[t].start = rows * t / threads;
        work[t].stop = rows * (t + 1) / threads;
    }
    pthread_t handles[THREADS];
    int started[THREADS] = {0};
    Py_BEGIN_ALLOW_THREADS;
    for (int t = 1; t < threads; t++) started[t] = pthread_create(&handles[t], NULL, scan_rows, &work[t]) == 0;
    scan_rows(&work[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(handles[t], NULL);
        else
            scan_rows(&work[t]);
    }
    Py_END_ALLOW_THREADS;

    int problem = 0, not_increasing = 0, unclassified = 0;
    int64_t hourly_max = 0, bonus_max = 0, hourly_written = 0, bonus_written = 0;
    for (int t = 0; t < threads; t++) {
        problem |= work[t].problem;
        not_increasing |= work[t].not_increasing;
        unclassified |= work[t].unclassified;
        if (work[t].hourly_max > hourly_max) hourly_max = work[t].hourly_max;
        if (work[t].bonus_max > bonus_max) bonus_max = work[t].bonus_max;
        /* Each thread wrote its keys from its first row's index on: close the gaps between them. */
        if (work[t].hourly_out && hourly_written != work[t].start)
            memmove(work[t].hourly_out + hourly_written, work[t].hourly_out + work[t].start,
                    sizeof(int64_t) * work[t].hourly_count);
        if (work[t].bonus_out && bonus_written != work[t].start)
            memmove(work[t].bonus_out + bonus_written, work[t].bonus_out + work[t].start,
                    sizeof(int64_t) * work[t].bonus_count);
        hourly_written += work[t].hourly_count;
        bonus_written += work[t].bonus_count;
        if (t > 0 && work[t].first_id_valid && work[t - 1].last_id_valid &&
            compare_text(work[t].first_id, work[t].first_id_len, work[t - 1].last_id, work[t - 1].last_id_len) <= 0)
            not_increasing = 1;
    }
    int cells = 62 - shift >= 8 ? MAX_CELLS : 1 << (62 - shift);
    PyObject *relevant = PyList_New(cells), *hourly_sums = PyList_New(cells), *bonus_sums = PyList_New(cells);
    PyObject *unknown = PyTuple_New(4);
    if (!relevant || !hourly_sums || !bonus_sums || !unknown) goto cleanup;
    for (int role = ROLE_SEX; role <= ROLE_DISABILITY; role++) {
        PyObject *texts = PyList_New(0);
        if (texts == NULL) goto cleanup;
        PyTuple_SET_ITEM(unknown, role - ROLE_SEX, texts);
        for (int t = 0; t < threads; t++) {
            const TextState *state = &work[t].text[role];
            for (int i = 0; i < state->n_unknown; i++) {
                PyObject *bytes = PyBytes_FromStringAndSize(state->unknown[i], state->unknown_length[i]);
                if (bytes == NULL || PyList_Append(texts, bytes) < 0) {
                    Py_XDECREF(bytes);
                    goto cleanup;
                }
                Py_DECREF(bytes);
            }
        }
    }
    for (int cell = 0; cell < cells; cell++) {
        int64_t people = 0;
        unsigned __int128 hourly_total = 0, bonus_total = 0;
        for (int t = 0; t < threads; t++) {
            people += work[t].relevant[cell];
            hourly_total += work[t].hourly_sum[cell];
            bonus_total += work[t].bonus_sum[cell];
        }
        PyList_SET_ITEM(relevant, cell, PyLong_FromLongLong(people));
        PyList_SET_ITEM(hourly_sums, cell, int128(hourly_total));
        PyList_SET_ITEM(bonus_sums, cell, int128(bonus_total));
    }
    if (PyErr_Occurred()) goto cleanup;
    result = Py_BuildValue("{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:L,s:L,s:L,s:L}", "unclassified",
                           unclassified ? Py_True : Py_False, "unknown", unknown, "problem",
                           problem ? Py_True : Py_False, "not_increasing", not_increasing ? Py_True : Py_False,
                           "relevant", relevant, "hourly_sums", hourly_sums, "bonus_sums",
                           bonus_sums, "hourly_count", (long long)hourly_written, "bonus_count",
                           (long long)bonus_written, "hourly_max", (long long)hourly_max, "bonus_max",
                           (long long)bonus_max);
cleanup:
    Py_XDECREF(relevant);
    Py_XDECREF(hourly_sums);
    Py_XDECREF(bonus_sums);
    Py_XDECREF(unknown);
done:
    free(batches);
    for (int i = 0; i < n_sources; i++) source_release(&sources[i]);
    for (int i = 0; i < 6; i++)
        if (held[i]) PyBuffer_Release(&buffers[i]);
    for (int role = 0; role <= ROLE_DISABILITY; role++) free(owned[role]);
    return result;
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS, "One pass over a payroll: checks, cells and packed sort keys (see _scan.c)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_scan", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__scan(void) {
    PyObject *created = PyModule_Create(&module);
    /* The byte order this was built for: scan.py uses the module only if it is the running machine's. */
    if (created != NULL && PyModule_AddStringConstant(created, "BYTE_ORDER", SCAN_BYTE_ORDER) < 0) {
        Py_DECREF(created);
        return NULL;
    }
    return created;
}
