/* The two hot loops of the likely-typo rule (fazhi.rules.typo), each equal to its pure-Python
   path (the tests compare them on random and real text):

   Automaton(tables).scan(text) -> (candidates, exact)
       Every occurrence of a key in the text read in sound codes, as the pyahocorasick
       automaton of the pure path finds them and in its order, and the checks typo._candidates
       makes on each, over a trie typo._tables() builds from the same keys and values. Every key
       has three symbols or more, so a walk down the trie starts only where the first three
       pass a filter, at their node (a hash table): the tables are megabytes and a report is
       read while the rest of the review has pushed them out of the processor's caches, so the
       scan reads as few of them as it can. candidates: [(start, end, term, kind, k)]
       in the pure path's order (the forms' candidates in text order, then the halves'); kind
       indexes typo._KINDS, k is None where _diff found no single difference. exact: the spans
       of terms written correctly, as int64 start, end pairs (bytes for array("q")).

   Pairs(known, looked).isolated(text) -> [(i, right_free, left_free)]
       typo._isolated: the Han characters whose bit is set in `looked` (U+4E00..U+9FFF) that
       make a word with neither neighbour, the pairs looked up in `known` (sorted, distinct
       uint64 codes a << 32 | b, kept as an index by first character).

   The tables are int32 arrays given as bytes (see typo._tables for their layout); they come
   from the cache folder, so the constructor checks every index before the scan trusts it. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define FORMAT 3         /* typo._TABLES_FORMAT */
#define NO_K INT32_MIN   /* a form's k that is None */
#define KINDS 5          /* sound, shape, drop, swap, other */
#define SOUND 0
#define OTHER 4
#define HAN_FIRST 0x4E00
#define HAN_COUNT 0x5200 /* U+4E00..U+9FFF */

/* fields per row of each table */
enum { NODE = 3, KEY = 8, FORM = 4, HALF = 2, STR = 2 };
/* node: first edge, number of edges, key (-1: none); a dense node (the root, and those with
         many children): row, -1, key
   key: length, first term (string, -1: none), others start, count, forms start, count,
        halves start, count
   form: written (string, -1: any homophone of the term), term, kind, k
   half: term, how far before the match's end it starts
   string: offset in the pool, length */

typedef struct {
    const int32_t *v;
    Py_ssize_t n;
} Array;

typedef struct {
    PyObject_HEAD
    PyObject *tables; /* the tuple whose bytes the arrays point into */
    int32_t map_lo, symbols;
    Array map, nodes, edges, rows, keys, others, forms, halves, strings, pool;
    unsigned char *filter; /* a bit per hash of the first three symbols of some key */
    uint32_t *third;       /* those three symbols -> their node: (trigram + 1, node) slots */
    int third_bits;
} Automaton;

#define FILTER_BITS 18

static int
array_of(PyObject *obj, const char *name, Array *out)
{
    if (!PyBytes_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s: bytes expected", name);
        return -1;
    }
    const char *p = PyBytes_AS_STRING(obj);
    Py_ssize_t size = PyBytes_GET_SIZE(obj);
    if (size % 4 != 0 || (size > 0 && ((uintptr_t)p) % sizeof(int32_t) != 0)) {
        PyErr_Format(PyExc_ValueError, "%s: not an int32 array", name);
        return -1;
    }
    out->v = (const int32_t *)p;
    out->n = size / 4;
    return 0;
}

static int
bad(const char *what)
{
    PyErr_Format(PyExc_ValueError, "typo tables: bad %s", what);
    return -1;
}

static int
in_range(int64_t x, int64_t lo, int64_t hi) /* lo <= x < hi */
{
    return lo <= x && x < hi;
}

static int
check_range(int64_t start, int64_t count, Py_ssize_t limit)
{
    return start >= 0 && count >= 0 && start + count <= limit;
}

/* Every index inside its table, the edges of a node sorted by symbol (a walk goes one level
   down per character, so it ends with the text whatever the tables hold). */
static int
validate(const Automaton *a)
{
    Py_ssize_t S = a->symbols, N = a->nodes.n / NODE, E = a->edges.n / 2, K = a->keys.n / KEY;
    Py_ssize_t F = a->forms.n / FORM, H = a->halves.n / HALF, NS = a->strings.n / STR;
    if (a->nodes.n % NODE || a->edges.n % 2 || a->keys.n % KEY || a->forms.n % FORM
        || a->halves.n % HALF || a->strings.n % STR || N < 1 || S < 1 || a->rows.n % S)
        return bad("table size");
    if (a->map_lo < 0 || (int64_t)a->map_lo + a->map.n > 0x110000)
        return bad("map range");
    for (Py_ssize_t i = 0; i < a->map.n; i++)
        if (!in_range(a->map.v[i], -1, S))
            return bad("map");
    for (Py_ssize_t i = 0; i < a->rows.n; i++)
        if (!in_range(a->rows.v[i], 0, N))
            return bad("row");
    for (Py_ssize_t u = 0; u < N; u++) {
        const int32_t *node = a->nodes.v + u * NODE;
        if (node[1] < 0 ? node[1] != -1 || !check_range((int64_t)node[0] * S, S, a->rows.n)
                        : !check_range(node[0], node[1], E))
            return bad("node edges");
        if (!in_range(node[2], -1, K) || (u == 0 && node[2] != -1))
            return bad("node key");
        for (int32_t e = node[0]; node[1] > 0 && e < node[0] + node[1]; e++) {
            const int32_t *edge = a->edges.v + 2 * e;
            if (!in_range(edge[0], 0, S) || !in_range(edge[1], 1, N))
                return bad("edge");
            if (e > node[0] && edge[0] <= edge[-2])
                return bad("edge order");
        }
    }
    for (Py_ssize_t k = 0; k < K; k++) {
        const int32_t *key = a->keys.v + k * KEY;
        if (key[0] < 1 || !in_range(key[1], -1, NS) || !check_range(key[2], key[3], a->others.n)
            || !check_range(key[4], key[5], F) || !check_range(key[6], key[7], H))
            return bad("key");
    }
    for (Py_ssize_t i = 0; i < a->others.n; i++)
        if (!in_range(a->others.v[i], 0, NS))
            return bad("other term");
    for (Py_ssize_t i = 0; i < F; i++) {
        const int32_t *form = a->forms.v + i * FORM;
        if (!in_range(form[0], -1, NS) || !in_range(form[1], 0, NS) || !in_range(form[2], 0, KINDS))
            return bad("form");
    }
    for (Py_ssize_t i = 0; i < H; i++) {
        const int32_t *half = a->halves.v + i * HALF;
        if (!in_range(half[0], 0, NS) || half[1] < 0 || a->strings.v[half[0] * STR + 1] < 1)
            return bad("half");
    }
    for (Py_ssize_t i = 0; i < NS; i++)
        if (!check_range(a->strings.v[i * STR], a->strings.v[i * STR + 1], a->pool.n))
            return bad("string");
    for (Py_ssize_t i = 0; i < a->pool.n; i++)
        if (!in_range(a->pool.v[i], 0, 0x110000))
            return bad("character");
    return 0;
}

/* the child of `state` on `sym`, or 0 */
static int32_t
child(const Automaton *a, int32_t state, int32_t sym)
{
    const int32_t *node = a->nodes.v + state * NODE;
    if (node[1] < 0)
        return a->rows.v[(Py_ssize_t)node[0] * a->symbols + sym];
    Py_ssize_t lo = node[0], hi = (Py_ssize_t)node[0] + node[1];
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        int32_t s = a->edges.v[2 * mid];
        if (s == sym)
            return a->edges.v[2 * mid + 1];
        if (s < sym)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static uint32_t
trigram(int32_t s0, int32_t s1, int32_t s2, int32_t symbols)
{
    return ((uint32_t)s0 * (uint32_t)symbols + (uint32_t)s1) * (uint32_t)symbols + (uint32_t)s2;
}

static uint32_t
hash(uint32_t v, int bits)
{
    return (v * 2654435761u) >> (32 - bits);
}

/* the node of the three symbols `v` (a trigram()), or 0 */
static int32_t
third_node(const Automaton *a, uint32_t v)
{
    uint32_t mask = ((uint32_t)1 << a->third_bits) - 1;
    for (uint32_t i = hash(v, a->third_bits);; i = (i + 1) & mask) {
        if (a->third[2 * i] == v + 1)
            return (int32_t)a->third[2 * i + 1];
        if (a->third[2 * i] == 0)
            return 0;
    }
}

/* how many children `state` may have (a dense node: one per symbol) */
static Py_ssize_t
children(const Automaton *a, int32_t state)
{
    const int32_t *node = a->nodes.v + state * NODE;
    return node[1] < 0 ? a->symbols : node[1];
}

/* the i-th possible child of `state` (0 <= i < children()): its node or 0, and its symbol */
static int32_t
nth_child(const Automaton *a, int32_t state, Py_ssize_t i, int32_t *sym)
{
    const int32_t *node = a->nodes.v + state * NODE;
    if (node[1] < 0) {
        *sym = (int32_t)i;
        return a->rows.v[(Py_ssize_t)node[0] * a->symbols + i];
    }
    *sym = a->edges.v[2 * (node[0] + i)];
    return a->edges.v[2 * (node[0] + i) + 1];
}

/* The nodes reachable from the root form a tree no deeper than MAX_DEPTH, and each key sits at
   the depth of its length: a node met twice on the walk from the root (a second parent, or a
   cycle) is refused. Kept tables are read from the cache folder: a damaged or crafted file must
   not make a scan loop (a cycle) or go quadratic (long paths, shared nodes). */
#define MAX_DEPTH 255

static int
check_tree(const Automaton *a)
{
    Py_ssize_t N = a->nodes.n / NODE, head = 0, tail = 1;
    int32_t *depth = PyMem_Malloc((size_t)N * sizeof(int32_t));
    int32_t *queue = PyMem_Malloc((size_t)N * sizeof(int32_t));
    int rc = 0;
    if (depth == NULL || queue == NULL) {
        PyMem_Free(depth);
        PyMem_Free(queue);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < N; i++)
        depth[i] = -1;
    depth[0] = 0;
    queue[0] = 0;
    while (head < tail && rc == 0) {
        int32_t u = queue[head++], sym;
        for (Py_ssize_t i = 0; i < children(a, u) && rc == 0; i++) {
            int32_t v = nth_child(a, u, i, &sym);
            if (v == 0)
                continue;
            if (depth[v] >= 0)
                rc = bad("tree (a node with two parents, or a cycle)");
            else if (depth[u] + 1 > MAX_DEPTH)
                rc = bad("tree depth");
            else {
                depth[v] = depth[u] + 1;
                queue[tail++] = v;
                int32_t k = a->nodes.v[v * NODE + 2];
                if (k >= 0 && a->keys.v[(Py_ssize_t)k * KEY] != depth[v])
                    rc = bad("key length");
            }
        }
    }
    PyMem_Free(depth);
    PyMem_Free(queue);
    return rc;
}

/* the filter and the table of the keys' first three symbols (every key has three or more, and
   symbols * symbols * symbols + 1 fits 32 bits: checked here) */
static int
make_filter(Automaton *a)
{
    if ((int64_t)a->symbols * a->symbols * a->symbols >= UINT32_MAX)
        return bad("number of symbols");
    for (int pass = 0; pass < 2; pass++) {
        Py_ssize_t count = 0;
        int32_t s0, s1, s2;
        for (Py_ssize_t i0 = 0; i0 < children(a, 0); i0++) {
            int32_t n1 = nth_child(a, 0, i0, &s0);
            for (Py_ssize_t i1 = 0; n1 > 0 && i1 < children(a, n1); i1++) {
                int32_t n2 = nth_child(a, n1, i1, &s1);
                if (n2 == 0)
                    continue;
                if (a->nodes.v[n1 * NODE + 2] >= 0 || a->nodes.v[n2 * NODE + 2] >= 0)
                    return bad("key shorter than three symbols");
                for (Py_ssize_t i2 = 0; i2 < children(a, n2); i2++) {
                    int32_t n3 = nth_child(a, n2, i2, &s2);
                    if (n3 == 0)
                        continue;
                    count++;
                    if (pass == 0)
                        continue;
                    uint32_t v = trigram(s0, s1, s2, a->symbols), h = hash(v, FILTER_BITS);
                    uint32_t mask = ((uint32_t)1 << a->third_bits) - 1, i = hash(v, a->third_bits);
                    a->filter[h >> 3] |= (unsigned char)(1u << (h & 7));
                    while (a->third[2 * i] != 0 && a->third[2 * i] != v + 1)
                        i = (i + 1) & mask;
                    a->third[2 * i] = v + 1;
                    a->third[2 * i + 1] = (uint32_t)n3;
                }
            }
        }
        if (pass == 0) {
            /* at most half the slots taken */
            for (a->third_bits = 4; ((Py_ssize_t)1 << a->third_bits) < 2 * count + 2; a->third_bits++)
                ;
            if (a->third_bits > 28)
                return bad("number of keys");
            a->filter = PyMem_Calloc((size_t)1 << FILTER_BITS >> 3, 1);
            a->third = PyMem_Calloc((size_t)2 << a->third_bits, sizeof(uint32_t));
            if (a->filter == NULL || a->third == NULL) {
                PyErr_NoMemory();
                return -1;
            }
        }
    }
    return 0;
}

static PyObject *
Automaton_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static const char *names[] = {"map", "nodes", "edges", "rows", "keys", "others",
                                  "forms", "halves", "strings", "pool"};
    long format, map_lo, symbols;
    PyObject *tables;
    if (kwds != NULL && PyDict_GET_SIZE(kwds) > 0) {
        PyErr_SetString(PyExc_TypeError, "Automaton() takes no keyword arguments");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "O!:Automaton", &PyTuple_Type, &tables))
        return NULL;
    if (PyTuple_GET_SIZE(tables) != 13) {
        PyErr_SetString(PyExc_ValueError, "typo tables: 13 items expected");
        return NULL;
    }
    long *numbers[] = {&format, &map_lo, &symbols};
    for (int i = 0; i < 3; i++) {
        PyObject *item = PyTuple_GET_ITEM(tables, i);
        int overflow = 0;
        *numbers[i] = PyLong_Check(item) ? PyLong_AsLongAndOverflow(item, &overflow) : -1;
        if (*numbers[i] == -1 && PyErr_Occurred())
            return NULL;
        if (overflow)
            *numbers[i] = -1;  /* out of every range below: "another format" */
    }
    if (format != FORMAT || map_lo < 0 || map_lo > 0x10FFFF || symbols < 1 || symbols > 0x10000) {
        PyErr_SetString(PyExc_ValueError, "typo tables: another format");
        return NULL;
    }
    Automaton *self = (Automaton *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    Py_INCREF(tables);
    self->tables = tables;
    self->map_lo = (int32_t)map_lo;
    self->symbols = (int32_t)symbols;
    Array *arrays[] = {&self->map, &self->nodes, &self->edges, &self->rows, &self->keys,
                       &self->others, &self->forms, &self->halves, &self->strings, &self->pool};
    for (int i = 0; i < 10; i++)
        if (array_of(PyTuple_GET_ITEM(tables, i + 3), names[i], arrays[i]) < 0) {
            Py_DECREF(self);
            return NULL;
        }
    if (validate(self) < 0 || check_tree(self) < 0 || make_filter(self) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void
Automaton_dealloc(Automaton *self)
{
    Py_XDECREF(self->tables);
    PyMem_Free(self->filter);
    PyMem_Free(self->third);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* ---------------------------------------------------------------- the scan */

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Text;

typedef struct {
    int64_t *v;
    Py_ssize_t n, cap;
} Spans;

static int
spans_add(Spans *s, int64_t a, int64_t b)
{
    if (s->n + 2 > s->cap) {
        Py_ssize_t cap = s->cap ? 2 * s->cap : 256;
        int64_t *v = PyMem_Realloc(s->v, (size_t)cap * sizeof(int64_t));
        if (v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = a;
    s->v[s->n++] = b;
    return 0;
}

typedef struct {
    Py_ssize_t end, start;
    int32_t key;
} Hit;

typedef struct {
    Hit *v;
    Py_ssize_t n, cap;
} Hits;

static int
matches_add(Hits *h, Py_ssize_t end, Py_ssize_t start, int32_t key)
{
    if (h->n == h->cap) {
        Py_ssize_t cap = h->cap ? 2 * h->cap : 256;
        Hit *v = PyMem_Realloc(h->v, (size_t)cap * sizeof(Hit));
        if (v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        h->v = v;
        h->cap = cap;
    }
    h->v[h->n].end = end;
    h->v[h->n].start = start;
    h->v[h->n++].key = key;
    return 0;
}

static int32_t
symbol(const Automaton *a, Py_UCS4 ch)
{
    int64_t i = (int64_t)ch - a->map_lo;
    return i >= 0 && i < a->map.n ? a->map.v[i] : -1;
}

/* whether text[start:start+len] is string `sid` */
static int
equal(const Automaton *a, const Text *t, Py_ssize_t start, Py_ssize_t len, int32_t sid)
{
    const int32_t *str = a->strings.v + sid * STR;
    if (str[1] != len)
        return 0;
    const int32_t *c = a->pool.v + str[0];
    for (Py_ssize_t i = 0; i < len; i++)
        if (PyUnicode_READ(t->kind, t->data, start + i) != (Py_UCS4)c[i])
            return 0;
    return 1;
}

/* typo._diff(text[start:start+len], string sid): the one position where they differ (over the
   shorter length), else -1 */
static Py_ssize_t
diff(const Automaton *a, const Text *t, Py_ssize_t start, Py_ssize_t len, int32_t sid)
{
    const int32_t *str = a->strings.v + sid * STR;
    const int32_t *c = a->pool.v + str[0];
    Py_ssize_t n = len < str[1] ? len : str[1], at = -1;
    for (Py_ssize_t i = 0; i < n; i++)
        if (PyUnicode_READ(t->kind, t->data, start + i) != (Py_UCS4)c[i]) {
            if (at >= 0)
                return -1;
            at = i;
        }
    return at;
}

static int
emit(const Automaton *a, PyObject *list, Py_ssize_t start, Py_ssize_t end, int32_t sid, int kind, int64_t k)
{
    const int32_t *str = a->strings.v + sid * STR;
    PyObject *term = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, a->pool.v + str[0], str[1]);
    if (term == NULL)
        return -1;
    PyObject *row = k == NO_K ? Py_BuildValue("(nnNiO)", start, end, term, kind, Py_None)
                              : Py_BuildValue("(nnNiL)", start, end, term, kind, (long long)k);
    if (row == NULL)
        return -1;
    int r = PyList_Append(list, row);
    Py_DECREF(row);
    return r;
}

/* the checks of typo._candidates on the key `k` matched with its end at `end` */
static int
match(const Automaton *a, const Text *t, int32_t k, Py_ssize_t end, PyObject *found, PyObject *later, Spans *exact)
{
    const int32_t *key = a->keys.v + k * KEY;
    Py_ssize_t len = key[0], start = end - len + 1;
    if (key[5] > 0 && start >= 0) {
        int other = 0;
        if (key[1] >= 0 && equal(a, t, start, len, key[1])) {
            if (spans_add(exact, start, end + 1) < 0)
                return -1;
            other = 1; /* the term written correctly: no form of this key applies */
        }
        for (int32_t i = key[2]; i < key[2] + key[3] && !other; i++)
            other = equal(a, t, start, len, a->others.v[i]);
        for (int32_t i = key[4]; i < key[4] + key[5] && !other; i++) {
            const int32_t *form = a->forms.v + i * FORM;
            if (form[0] < 0) {
                Py_ssize_t d = diff(a, t, start, len, form[1]);
                if (d >= 0 && emit(a, found, start, end + 1, form[1], SOUND, d) < 0)
                    return -1;
            }
            else if (equal(a, t, start, len, form[0]) && emit(a, found, start, end + 1, form[1], form[2], form[3]) < 0)
                return -1;
        }
    }
    for (int32_t i = key[6]; i < key[6] + key[7]; i++) {
        const int32_t *half = a->halves.v + i * HALF;
        const int32_t *str = a->strings.v + half[0] * STR;
        Py_ssize_t size = str[1], from = end - half[1];
        if (from < 0 || from + size > t->n
            || PyUnicode_READ(t->kind, t->data, from) != (Py_UCS4)a->pool.v[str[0]]
            || PyUnicode_READ(t->kind, t->data, from + size - 1) != (Py_UCS4)a->pool.v[str[0] + size - 1]
            || equal(a, t, from, size, half[0]))
            continue;
        Py_ssize_t d = diff(a, t, from, size, half[0]);
        if (d >= 0 && emit(a, later, from, from + size, half[0], OTHER, d) < 0)
            return -1;
    }
    return 0;
}

static PyObject *
Automaton_scan(Automaton *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "scan() expects a str");
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0)
        return NULL;
#endif
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)};
    Spans exact = {NULL, 0, 0};
    Hits hits = {NULL, 0, 0};
    int32_t *syms = NULL;
    PyObject *found = PyList_New(0), *later = PyList_New(0), *result = NULL;
    if (found == NULL || later == NULL)
        goto done;
    syms = PyMem_Malloc((size_t)(t.n ? t.n : 1) * sizeof(int32_t));
    if (syms == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t pos = 0; pos < t.n; pos++)
        syms[pos] = symbol(self, PyUnicode_READ(t.kind, t.data, pos));
    /* the keys starting at each position whose first three symbols pass the filter, walked down
       the trie */
    for (Py_ssize_t s = 0; s + 2 < t.n; s++) {
        if (syms[s] < 0 || syms[s + 1] < 0 || syms[s + 2] < 0)
            continue;
        uint32_t v = trigram(syms[s], syms[s + 1], syms[s + 2], self->symbols), h = hash(v, FILTER_BITS);
        if (!(self->filter[h >> 3] >> (h & 7) & 1))
            continue;
        int32_t state = third_node(self, v);
        for (Py_ssize_t j = s + 2; state > 0;) {
            int32_t key = self->nodes.v[state * NODE + 2];
            if (key >= 0 && matches_add(&hits, j, s, key) < 0)
                goto done;
            if (++j >= t.n || syms[j] < 0)
                break;
            state = child(self, state, syms[j]);
        }
    }
    /* in pyahocorasick's order: by end, the longest first */
    for (Py_ssize_t i = 1; i < hits.n; i++) {
        Hit h = hits.v[i];
        Py_ssize_t j = i;
        for (; j > 0 && (hits.v[j - 1].end > h.end || (hits.v[j - 1].end == h.end && hits.v[j - 1].start > h.start)); j--)
            hits.v[j] = hits.v[j - 1];
        hits.v[j] = h;
    }
    for (Py_ssize_t i = 0; i < hits.n; i++)
        if (match(self, &t, hits.v[i].key, hits.v[i].end, found, later, &exact) < 0)
            goto done;
    if (PyList_SetSlice(found, PyList_GET_SIZE(found), PyList_GET_SIZE(found), later) < 0)
        goto done;
    PyObject *spans = PyBytes_FromStringAndSize((const char *)exact.v, exact.n * (Py_ssize_t)sizeof(int64_t));
    if (spans != NULL)
        result = Py_BuildValue("(ON)", found, spans);
done:
    Py_XDECREF(found);
    Py_XDECREF(later);
    PyMem_Free(exact.v);
    PyMem_Free(hits.v);
    PyMem_Free(syms);
    return result;
}

static PyMethodDef Automaton_methods[] = {
    {"scan", (PyCFunction)Automaton_scan, METH_O,
     "scan(text) -> (candidates, exact): the matches of typo._candidates and the spans of terms "
     "written correctly (int64 pairs)"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject AutomatonType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "fazhi._native._typo.Automaton",
    .tp_basicsize = sizeof(Automaton),
    .tp_dealloc = (destructor)Automaton_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Automaton(tables): the likely-typo automaton over sound codes (typo._tables())",
    .tp_methods = Automaton_methods,
    .tp_new = Automaton_new,
};

/* ---------------------------------------------------------------- isolated characters */

/* The pairs of known (sorted uint64 codes a << 32 | b) in two parts that stay small in the cache:
   the pairs of two characters of U+4E00..U+9FFF as, per first character, the sorted second
   characters (uint16, minus U+4E00); the other pairs as they were. */
typedef struct {
    PyObject_HEAD
    unsigned char looked[HAN_COUNT / 8];
    uint32_t *first;   /* HAN_COUNT + 1 offsets into second */
    uint16_t *second;
    uint64_t *rest;
    Py_ssize_t rest_n;
} Pairs;

#define MAX_PAIRS ((Py_ssize_t)1 << 28)

static int
han(Py_UCS4 c)
{
    return c >= HAN_FIRST && c - HAN_FIRST < HAN_COUNT;
}

static PyObject *
Pairs_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Py_buffer known, looked;
    if (kwds != NULL && PyDict_GET_SIZE(kwds) > 0) {
        PyErr_SetString(PyExc_TypeError, "Pairs() takes no keyword arguments");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "y*y*:Pairs", &known, &looked))
        return NULL;
    Pairs *self = NULL;
    const uint64_t *v = known.buf;
    Py_ssize_t n = known.len / 8, han_n = 0;
    if (looked.len != HAN_COUNT / 8 || known.len % 8 != 0 || n > MAX_PAIRS
        || (n > 0 && ((uintptr_t)known.buf) % sizeof(uint64_t) != 0)) {
        PyErr_SetString(PyExc_ValueError, "Pairs(known, looked): uint64 codes, and a bit per U+4E00..U+9FFF");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i > 0 && v[i] <= v[i - 1]) {
            PyErr_SetString(PyExc_ValueError, "Pairs(): the codes must be sorted and distinct");
            goto done;
        }
        han_n += han((Py_UCS4)(v[i] >> 32)) && han((Py_UCS4)(v[i] & 0xFFFFFFFF));
    }
    self = (Pairs *)type->tp_alloc(type, 0);
    if (self == NULL)
        goto done;
    memcpy(self->looked, looked.buf, sizeof(self->looked));
    self->first = PyMem_Calloc(HAN_COUNT + 1, sizeof(uint32_t));
    self->second = PyMem_Malloc((size_t)(han_n ? han_n : 1) * sizeof(uint16_t));
    self->rest = PyMem_Malloc((size_t)(n - han_n ? n - han_n : 1) * sizeof(uint64_t));
    if (self->first == NULL || self->second == NULL || self->rest == NULL) {
        Py_CLEAR(self);
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t h = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 a = (Py_UCS4)(v[i] >> 32), b = (Py_UCS4)(v[i] & 0xFFFFFFFF);
        if (han(a) && han(b)) {
            self->first[a - HAN_FIRST + 1]++;
            self->second[h++] = (uint16_t)(b - HAN_FIRST);
        }
        else
            self->rest[self->rest_n++] = v[i];
    }
    for (Py_ssize_t c = 0; c < HAN_COUNT; c++)
        self->first[c + 1] += self->first[c];
done:
    PyBuffer_Release(&known);
    PyBuffer_Release(&looked);
    return (PyObject *)self;
}

static void
Pairs_dealloc(Pairs *self)
{
    PyMem_Free(self->first);
    PyMem_Free(self->second);
    PyMem_Free(self->rest);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* whether the characters a, b stand next to each other inside some word */
static int
in_word(const Pairs *p, Py_UCS4 a, Py_UCS4 b)
{
    if (han(a) && han(b)) {
        uint16_t x = (uint16_t)(b - HAN_FIRST);
        const uint16_t *s = p->second;
        uint32_t lo = p->first[a - HAN_FIRST], hi = p->first[a - HAN_FIRST + 1];
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (s[mid] < x)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < p->first[a - HAN_FIRST + 1] && s[lo] == x;
    }
    uint64_t code = (uint64_t)a << 32 | b;
    Py_ssize_t lo = 0, hi = p->rest_n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (p->rest[mid] < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->rest_n && p->rest[lo] == code;
}

static PyObject *
Pairs_isolated(Pairs *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "isolated() expects a str");
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0)
        return NULL;
#endif
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 1; i < n - 1; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i), h = c - HAN_FIRST;
        if (!han(c) || !(self->looked[h >> 3] >> (h & 7) & 1))
            continue;
        Py_UCS4 prev = PyUnicode_READ(kind, data, i - 1), next = PyUnicode_READ(kind, data, i + 1);
        if (in_word(self, prev, c) || in_word(self, c, next))
            continue;
        Py_UCS4 after = i + 2 < n ? PyUnicode_READ(kind, data, i + 2) : ' ';
        Py_UCS4 before = i >= 2 ? PyUnicode_READ(kind, data, i - 2) : ' ';
        PyObject *row = Py_BuildValue("(nNN)", i, PyBool_FromLong(!in_word(self, next, after)),
                                      PyBool_FromLong(!in_word(self, before, prev)));
        if (row == NULL || PyList_Append(out, row) < 0) {
            Py_XDECREF(row);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(row);
    }
    return out;
}

static PyMethodDef Pairs_methods[] = {
    {"isolated", (PyCFunction)Pairs_isolated, METH_O,
     "isolated(text) -> [(i, right_free, left_free)]: typo._isolated"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject PairsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "fazhi._native._typo.Pairs",
    .tp_basicsize = sizeof(Pairs),
    .tp_dealloc = (destructor)Pairs_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Pairs(known, looked): the pairs inside words (typo._bigrams()) and the characters "
              "looked at (typo._looked_at_bits()), for isolated(text)",
    .tp_methods = Pairs_methods,
    .tp_new = Pairs_new,
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_typo", NULL, -1, NULL, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC
PyInit__typo(void)
{
    if (PyType_Ready(&AutomatonType) < 0 || PyType_Ready(&PairsType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&AutomatonType);
    if (PyModule_AddObject(m, "Automaton", (PyObject *)&AutomatonType) < 0) {
        Py_DECREF(&AutomatonType);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&PairsType);
    if (PyModule_AddObject(m, "Pairs", (PyObject *)&PairsType) < 0) {
        Py_DECREF(&PairsType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
