/* The 4-gram counting of near-duplicate-phrase (Q101) and self-repetition (Q102), in C.
 *
 * The pure-Python paths in fazhi/rules/substance.py are the reference; tests/rules/
 * test_substance_native.py proves these functions give the same answers. Both functions do the
 * hot loops only (4-grams, hash tables, counting) and return the few candidates; the rules'
 * judgement (function characters, words, similarity) stays in Python.
 *
 * A 4-gram of characters in the BMP is packed into a uint64 (character k in bits 16k..16k+15):
 * exact, and never 0 (a Han character or a digit is never U+0000), so 0 marks an empty slot.
 * Tables are open addressing with linear probing, with 4/3 as many slots as 4-grams or more (the
 * distinct ones, which they hold, are fewer), sized from the text: memory is a few dozen bytes per
 * character of the text, less than the pure path takes.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define IS_HAN(c) ((c) >= 0x4E00 && (c) <= 0x9FFF)
#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define LANE(k) ((uint64_t)0xFFFF << (16 * (k)))
/* Far beyond any report (the tables hold 32-bit positions and indexes): a text with more
 * characters or sentences is refused with MemoryError. */
#define MAX_GRAMS ((size_t)1 << 29)

typedef struct {
    uint64_t key;  /* the 4-gram (or a 4-gram with one lane cleared); 0: empty */
    int32_t a;     /* slips: where it is first said; repeats: the last sentence that said it */
    int32_t b;     /* slips: how often it is said; repeats: its posting (a node) */
} entry_t;

typedef struct {
    entry_t *slots;
    size_t mask;
    int shift;
} table_t;

static int table_init(table_t *t, size_t grams)
{
    size_t cap = 16;
    int bits = 4;
    if (grams > MAX_GRAMS) {
        PyErr_NoMemory();
        return -1;
    }
    while (cap < grams + grams / 3) {
        cap <<= 1;
        bits++;
    }
    t->slots = PyMem_Calloc(cap, sizeof(entry_t));
    if (t->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    t->mask = cap - 1;
    t->shift = 64 - bits;
    return 0;
}

/* The slot holding key, or the empty slot where it goes. */
static entry_t *table_find(const table_t *t, uint64_t key)
{
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> t->shift); /* Fibonacci hashing */
    while (t->slots[i].key != 0 && t->slots[i].key != key)
        i = (i + 1) & t->mask;
    return &t->slots[i];
}

/* ------------------------------------------------------------------ Q101 */

/* A common 4-gram found (or None) and how often it is said (0). */
static PyObject *gram_at(PyObject *han, const entry_t *e)
{
    if (e->key == 0) {
        Py_INCREF(Py_None);
        return Py_None;
    }
    return PyUnicode_Substring(han, e->a, e->a + 4);
}

PyDoc_STRVAR(slips_doc,
"slips(han) -> [(i, common1, n1, common2, n2), ...]\n\n"
"The 4-grams of Han characters said once (at i, in order) that differ in their second or third\n"
"character from a 4-gram said at least twice; common1/common2: the most said such 4-gram (the\n"
"first said on a tie) differing in the second / third character, or None, and its count (0).");

static PyObject *slips(PyObject *self, PyObject *han)
{
    if (!PyUnicode_Check(han)) {
        PyErr_SetString(PyExc_TypeError, "slips: a str is needed");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(han);
    PyObject *out = PyList_New(0);
    if (out == NULL || n < 4)
        return out;
    int kind = PyUnicode_KIND(han);
    const void *data = PyUnicode_DATA(han);
    size_t windows = (size_t)(n - 3);
    table_t grams = {NULL, 0, 0}, without[2] = {{NULL, 0, 0}, {NULL, 0, 0}};
    int32_t *where = NULL; /* window -> its 4-gram's slot, or -1 */
    if (table_init(&grams, windows) < 0)
        goto fail;
    where = PyMem_Malloc(windows * sizeof(int32_t));
    if (where == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    size_t common = 0;
    uint64_t code = 0;
    Py_ssize_t run = 0;
    for (Py_ssize_t p = 0; p < n; p++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, p);
        if (IS_HAN(c)) {
            code = (code >> 16) | ((uint64_t)c << 48);
            run++;
        } else {
            run = 0;
        }
        if (p < 3)
            continue;
        int32_t i = (int32_t)(p - 3);
        if (run < 4) {
            where[i] = -1;
            continue;
        }
        entry_t *e = table_find(&grams, code);
        if (e->key == 0) {
            e->key = code;
            e->a = i;
        }
        if (++e->b == 2)
            common++;
        where[i] = (int32_t)(e - grams.slots);
    }
    if (common == 0)
        goto done;
    /* the common 4-grams without their second / third character -> the most said of them,
     * visited in the order they are first said (so that the first said wins a tie) */
    for (int k = 0; k < 2; k++)
        if (table_init(&without[k], common) < 0)
            goto fail;
    for (size_t i = 0; i < windows; i++) {
        if (where[i] < 0)
            continue;
        const entry_t *e = &grams.slots[where[i]];
        if (e->b < 2 || (size_t)e->a != i)
            continue;
        for (int k = 0; k < 2; k++) {
            uint64_t key = e->key & ~LANE(k + 1);
            entry_t *f = table_find(&without[k], key);
            if (f->key == 0 || e->b > f->b) {
                f->key = key;
                f->a = e->a;
                f->b = e->b;
            }
        }
    }
    for (size_t i = 0; i < windows; i++) {
        if (where[i] < 0)
            continue;
        const entry_t *e = &grams.slots[where[i]];
        if (e->b != 1)
            continue;
        const entry_t *f1 = table_find(&without[0], e->key & ~LANE(1));
        const entry_t *f2 = table_find(&without[1], e->key & ~LANE(2));
        if (f1->key == 0 && f2->key == 0)
            continue;
        PyObject *g1 = gram_at(han, f1);
        PyObject *g2 = g1 == NULL ? NULL : gram_at(han, f2);
        PyObject *item = g2 == NULL ? NULL : Py_BuildValue(
            "(nOiOi)", (Py_ssize_t)i, g1, f1->key ? f1->b : 0, g2, f2->key ? f2->b : 0);
        Py_XDECREF(g1);
        Py_XDECREF(g2);
        if (item == NULL)
            goto fail;
        int err = PyList_Append(out, item);
        Py_DECREF(item);
        if (err < 0)
            goto fail;
    }
done:
    PyMem_Free(where);
    PyMem_Free(grams.slots);
    PyMem_Free(without[0].slots);
    PyMem_Free(without[1].slots);
    return out;
fail:
    Py_CLEAR(out);
    goto done;
}

/* ------------------------------------------------------------------ Q102 */

/* 一二三四五六七八九十 */
static int is_numeral(Py_UCS4 c)
{
    switch (c) {
    case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case 0x4E94:
    case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341:
        return 1;
    default:
        return 0;
    }
}

/* The length of the numbering token at s (substance._NUMBERING without its trailing \s*, which
 * removes nothing a normalized sentence keeps), 0 when there is none. The four alternatives start
 * with different characters, and each bounded run is followed by a character outside it, so the
 * regex's backtracking never finds a shorter match. */
static Py_ssize_t numbering(int kind, const void *data, Py_ssize_t s, Py_ssize_t end)
{
#define AT(q) PyUnicode_READ(kind, data, (q))
    if (s >= end)
        return 0;
    Py_UCS4 c = AT(s);
    Py_ssize_t r = 0;
    if (c == 0xFF08 || c == '(') { /* [（(][一二三四五六七八九十\d]{1,3}[）)] */
        while (s + 1 + r < end && r < 4 && (is_numeral(AT(s + 1 + r)) || Py_UNICODE_ISDECIMAL(AT(s + 1 + r))))
            r++;
        if (r >= 1 && r <= 3 && s + 1 + r < end && (AT(s + 1 + r) == 0xFF09 || AT(s + 1 + r) == ')'))
            return r + 2;
        return 0;
    }
    if (is_numeral(c)) { /* [一二三四五六七八九十]{1,3}[、是] */
        while (s + r < end && r < 4 && is_numeral(AT(s + r)))
            r++;
        if (r <= 3 && s + r < end && (AT(s + r) == 0x3001 || AT(s + r) == 0x662F))
            return r + 1;
        return 0;
    }
    if (Py_UNICODE_ISDECIMAL(c)) { /* \d{1,2}[.．、] */
        while (s + r < end && r < 3 && Py_UNICODE_ISDECIMAL(AT(s + r)))
            r++;
        if (r <= 2 && s + r < end && (AT(s + r) == '.' || AT(s + r) == 0xFF0E || AT(s + r) == 0x3001))
            return r + 1;
        return 0;
    }
    if (c == 0x7B2C) { /* 第[一二三四五六七八九十]+[，、] */
        while (s + 1 + r < end && is_numeral(AT(s + 1 + r)))
            r++;
        if (r >= 1 && s + 1 + r < end && (AT(s + 1 + r) == 0xFF0C || AT(s + 1 + r) == 0x3001))
            return r + 2;
        return 0;
    }
    return 0;
#undef AT
}

/* Read a (start, end) span of a text of n characters. */
static int read_span(PyObject *item, Py_ssize_t n, Py_ssize_t *a, Py_ssize_t *b)
{
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
        PyErr_SetString(PyExc_TypeError, "repeats: spans must be (start, end) tuples");
        return -1;
    }
    *a = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 0));
    if (*a == -1 && PyErr_Occurred())
        return -1;
    *b = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 1));
    if (*b == -1 && PyErr_Occurred())
        return -1;
    if (*a < 0 || *b < *a || *b > n) {
        PyErr_SetString(PyExc_ValueError, "repeats: a span outside the text");
        return -1;
    }
    return 0;
}

/* A posting: the sentences that say a 4-gram, newest first. */
typedef struct {
    int32_t sentence;
    int32_t next;    /* the next node, -1 at the end */
    int32_t length;  /* nodes from this one to the end: the posting's length at its head */
} node_t;

PyDoc_STRVAR(repeats_doc,
"repeats(text, spans, min_len, shared, common) -> [(j, [i, ...]), ...]\n\n"
"For the sentences text[a:b] of spans, normalized as substance._norm does: each later sentence j\n"
"and the earlier ones i that substance._repeated would compare with it (the same 4-gram index,\n"
"thresholds and posting limit `common`), for j that have any.");

static PyObject *repeats(PyObject *self, PyObject *args)
{
    PyObject *text, *spans;
    Py_ssize_t min_len, common;
    double shared;
    if (!PyArg_ParseTuple(args, "UO!ndn:repeats", &text, &PyList_Type, &spans, &min_len, &shared, &common))
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), count = PyList_GET_SIZE(spans);
    if ((size_t)count > MAX_GRAMS)
        return PyErr_NoMemory();
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *out = NULL;
    Py_UCS2 *norm = NULL; /* the normalized sentences, one after the other */
    size_t used = 0, room = 0;
    table_t grams = {NULL, 0, 0};
    node_t *nodes = NULL;
    int32_t *mine = NULL, *shared_with = NULL, *touched = NULL;
    size_t *at = PyMem_Calloc((size_t)count + 1, sizeof(size_t)); /* sentence j: norm[at[j]:at[j + 1]] */
    if (at == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    size_t windows = 0, most = 0, longest = 0;
    for (Py_ssize_t j = 0; j < count; j++) {
        Py_ssize_t a, b;
        if (read_span(PyList_GET_ITEM(spans, j), n, &a, &b) < 0)
            goto done;
        while (a < b && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a)))
            a++;
        a += numbering(kind, data, a, b);
        if (room - used < (size_t)(b - a)) {
            size_t want = used + (size_t)(b - a);
            room = want > 2 * room ? want : 2 * room;
            Py_UCS2 *grown = PyMem_Realloc(norm, room * sizeof(Py_UCS2));
            if (grown == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            norm = grown;
        }
        for (Py_ssize_t p = a; p < b; p++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, p);
            if (IS_HAN(c) || IS_DIGIT(c))
                norm[used++] = (Py_UCS2)c;
        }
        at[j + 1] = used;
        size_t len = at[j + 1] - at[j];
        if (len > longest)
            longest = len;
        if (len >= 4) {
            windows += len - 3;
            if (len - 3 > most)
                most = len - 3;
            if (windows > MAX_GRAMS) {
                PyErr_NoMemory();
                goto done;
            }
        }
    }
    out = PyList_New(0);
    if (out == NULL || windows == 0)
        goto done;
    if (table_init(&grams, windows) < 0)
        goto fail;
    nodes = PyMem_Malloc(windows * sizeof(node_t)); /* a sentence enters a posting once per 4-gram of it */
    mine = PyMem_Malloc(most * sizeof(int32_t));
    shared_with = PyMem_Calloc((size_t)count, sizeof(int32_t));
    touched = PyMem_Malloc((size_t)count * sizeof(int32_t));
    if (nodes == NULL || mine == NULL || shared_with == NULL || touched == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    int32_t free_node = 0;
    size_t shortest = longest; /* the shortest earlier sentence with a 4-gram */
    for (int32_t j = 0; j < (int32_t)count; j++) {
        size_t len = at[j + 1] - at[j];
        size_t said = 0; /* the 4-grams of j that an earlier sentence says too */
        for (size_t w = 0; w + 4 <= len; w++) {
            const Py_UCS2 *g = norm + at[j] + w;
            uint64_t code = (uint64_t)g[0] | ((uint64_t)g[1] << 16) | ((uint64_t)g[2] << 32) | ((uint64_t)g[3] << 48);
            entry_t *e = table_find(&grams, code);
            if (e->key == 0) {
                e->key = code;
                e->a = j;
                nodes[free_node] = (node_t){j, -1, 1};
                e->b = free_node++;
            } else if (e->a != j) {
                e->a = j;
                mine[said++] = (int32_t)(e - grams.slots);
            }
        }
        size_t least = len < shortest ? len : shortest;
        if (said > 0 && (Py_ssize_t)len >= min_len && (double)said >= shared * ((double)least - 3)) {
            int32_t ntouched = 0;
            for (size_t m = 0; m < said; m++) {
                int32_t head = grams.slots[mine[m]].b;
                if (nodes[head].length > common)
                    continue;
                for (int32_t q = head; q >= 0; q = nodes[q].next) {
                    int32_t i = nodes[q].sentence;
                    if (shared_with[i]++ == 0)
                        touched[ntouched++] = i;
                }
            }
            PyObject *earlier = PyList_New(0);
            if (earlier == NULL)
                goto fail;
            for (int32_t t = 0; t < ntouched; t++) {
                int32_t i = touched[t], k = shared_with[i];
                size_t other = at[i + 1] - at[i];
                shared_with[i] = 0;
                if ((double)k < shared * ((double)(len < other ? len : other) - 3))
                    continue;
                PyObject *num = PyLong_FromLong(i);
                if (num == NULL || PyList_Append(earlier, num) < 0) {
                    Py_XDECREF(num);
                    Py_DECREF(earlier);
                    goto fail;
                }
                Py_DECREF(num);
            }
            if (PyList_GET_SIZE(earlier) > 0) {
                PyObject *item = Py_BuildValue("(iN)", j, earlier);
                if (item == NULL || PyList_Append(out, item) < 0) {
                    Py_XDECREF(item);
                    goto fail;
                }
                Py_DECREF(item);
            } else {
                Py_DECREF(earlier);
            }
        }
        for (size_t m = 0; m < said; m++) {
            entry_t *e = &grams.slots[mine[m]];
            nodes[free_node] = (node_t){j, e->b, nodes[e->b].length + 1};
            e->b = free_node++;
        }
        if (len >= 4 && len < shortest)
            shortest = len;
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    PyMem_Free(at);
    PyMem_Free(norm);
    PyMem_Free(grams.slots);
    PyMem_Free(nodes);
    PyMem_Free(mine);
    PyMem_Free(shared_with);
    PyMem_Free(touched);
    return out;
}

static PyMethodDef methods[] = {
    {"slips", slips, METH_O, slips_doc},
    {"repeats", repeats, METH_VARARGS, repeats_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_substance",
    .m_doc = "The 4-gram counting of near-duplicate-phrase and self-repetition (fazhi.rules.substance).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__substance(void)
{
    return PyModule_Create(&module);
}
