/* The load stage's hot loops (fazhi.ingest and fazhi.parse), each the twin of a pure-Python
 * function that stays the reference (the tests compare the two on random and real text):
 *
 *   bad_chars(text, limit)        txt._BAD_CHAR.findall(text[:limit]) counted
 *   split_lines(text)             parse.document.split_lines
 *   sentences(text)               parse.document.sentences_of_lines
 *   heading_marks(text, spans)    parse.outline._marks (the numbering tokens of each line)
 *   token_breaks(text, expect, breaks)
 *                                 ingest.webcopy._token_breaks (numbered headings run into a line)
 *   first_of(text, chars)         re.compile("[" + chars + "]").search(text) (traditional script)
 *
 * Every function reads any str (PEP 393, all kinds, characters beyond U+FFFF) and returns plain
 * ints, tuples and lists; the regular expressions they replace are named beside each. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* A str's characters as UCS-4 (a copy: the scans below read each character several times, and
 * indexing one array is faster than PEP 393's per-kind reads), and its length. */
typedef struct {
    Py_UCS4 *s;
    Py_ssize_t n;
} Text;

static int
text_of(PyObject *str, Text *t)
{
    t->s = NULL;
    if (!PyUnicode_Check(str)) {
        PyErr_SetString(PyExc_TypeError, "expected str");
        return -1;
    }
    t->n = PyUnicode_GetLength(str);
    if (t->n < 0)
        return -1;
    t->s = PyUnicode_AsUCS4Copy(str); /* with a terminating 0; PyMem_Free */
    return t->s == NULL ? -1 : 0;
}

static void
text_free(Text *t)
{
    PyMem_Free(t->s);
    t->s = NULL;
}

#define AT(t, i) ((t)->s[(i)])

/* A str read in place (PEP 393), for the single passes that read each character once. */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} View;

static int
view_of(PyObject *str, View *v)
{
    if (!PyUnicode_Check(str)) {
        PyErr_SetString(PyExc_TypeError, "expected str");
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(str) < 0)
        return -1;
#endif
    v->kind = PyUnicode_KIND(str);
    v->data = PyUnicode_DATA(str);
    v->n = PyUnicode_GET_LENGTH(str);
    return 0;
}

#define RD(v, i) PyUnicode_READ((v)->kind, (v)->data, (i))

/* ------------------------------------------------------------------ character classes */

static int
is_cn(Py_UCS4 c) /* 一二三四五六七八九十 */
{
    switch (c) {
    case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case 0x4E94:
    case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341:
        return 1;
    }
    return 0;
}

static int
cn_digit(Py_UCS4 c) /* the value of a numeral of is_cn other than 十 */
{
    switch (c) {
    case 0x4E00: return 1;
    case 0x4E8C: return 2;
    case 0x4E09: return 3;
    case 0x56DB: return 4;
    case 0x4E94: return 5;
    case 0x516D: return 6;
    case 0x4E03: return 7;
    case 0x516B: return 8;
    case 0x4E5D: return 9;
    }
    return -1;
}

static int is_han(Py_UCS4 c) { return c >= 0x4E00 && c <= 0x9FFF; }
static int is_open(Py_UCS4 c) { return c == 0xFF08 || c == '('; }
static int is_close(Py_UCS4 c) { return c == 0xFF09 || c == ')'; }
static int is_circled(Py_UCS4 c) { return c >= 0x2460 && c <= 0x2473; } /* ①..⑳ */
static int is_ascii_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }
static int is_decimal(Py_UCS4 c) { return Py_UNICODE_ISDECIMAL(c); } /* the regex \d */

static int
is_stop(Py_UCS4 c) /* 。！？!?；; */
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == 0xFF1B || c == ';';
}

static int
is_clause_end(Py_UCS4 c) /* ，,。；;：:！？!? */
{
    return is_stop(c) || c == 0xFF0C || c == ',' || c == 0xFF1A || c == ':';
}

static int
is_closing_quote(Py_UCS4 c) /* ”’」』）)》 */
{
    return c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F || c == 0xFF09 || c == ')' || c == 0x300B;
}

static int
is_arabic_sep(Py_UCS4 c) /* . ． 、 */
{
    return c == '.' || c == 0xFF0E || c == 0x3001;
}

/* The length of the run of `pred` characters at i, stopping at `end`. */
static Py_ssize_t
run(const Text *t, Py_ssize_t i, Py_ssize_t end, int (*pred)(Py_UCS4))
{
    Py_ssize_t j = i;
    while (j < end && pred(AT(t, j)))
        j++;
    return j - i;
}

/* numerals.cn_to_int for 1-3 numerals of is_cn: digit by digit when there is no 十 ("二二" 22),
 * else 十 multiplies the digit before it ("二十" 20, "十一" 11). */
static long
cn_value(const Text *t, Py_ssize_t a, Py_ssize_t b)
{
    long total = 0, current = 0;
    int plain = b - a > 1;
    for (Py_ssize_t i = a; i < b; i++)
        if (cn_digit(AT(t, i)) < 0)
            plain = 0;
    if (plain) {
        for (Py_ssize_t i = a; i < b; i++)
            total = total * 10 + cn_digit(AT(t, i));
        return total;
    }
    for (Py_ssize_t i = a; i < b; i++) {
        int d = cn_digit(AT(t, i));
        if (d >= 0) {
            current = d;
        } else {
            total += (current ? current : 1) * 10;
            current = 0;
        }
    }
    return total + current;
}

/* ------------------------------------------------------------------ txt */

/* [\x00-\x08\x0e-\x1f\ufffd] */
static PyObject *
bad_chars(PyObject *self, PyObject *args)
{
    PyObject *s;
    Py_ssize_t limit, count = 0;
    View t;
    if (!PyArg_ParseTuple(args, "On:bad_chars", &s, &limit) || view_of(s, &t) < 0)
        return NULL;
    Py_ssize_t end = limit < 0 ? 0 : (limit < t.n ? limit : t.n);
    for (Py_ssize_t i = 0; i < end; i++) {
        Py_UCS4 c = RD(&t, i);
        if (c <= 0x08 || (c >= 0x0E && c <= 0x1F) || c == 0xFFFD)
            count++;
    }
    return PyLong_FromSsize_t(count);
}

/* ------------------------------------------------------------------ document */

/* Append (a, b) to list; -1 on error. */
static int
append_pair(PyObject *list, Py_ssize_t a, Py_ssize_t b)
{
    PyObject *pair = Py_BuildValue("(nn)", a, b);
    if (pair == NULL)
        return -1;
    int rc = PyList_Append(list, pair);
    Py_DECREF(pair);
    return rc;
}

static int
append_int(PyObject *list, Py_ssize_t v)
{
    PyObject *o = PyLong_FromSsize_t(v);
    if (o == NULL)
        return -1;
    int rc = PyList_Append(list, o);
    Py_DECREF(o);
    return rc;
}

/* (line starts, spans of the lines that are not blank) */
static PyObject *
split_lines(PyObject *self, PyObject *arg)
{
    View t;
    if (view_of(arg, &t) < 0)
        return NULL;
    PyObject *starts = PyList_New(0), *spans = PyList_New(0);
    if (starts == NULL || spans == NULL)
        goto error;
    Py_ssize_t pos = 0;
    for (;;) {
        Py_ssize_t end = pos, blank = 1;
        while (end < t.n && RD(&t, end) != '\n') {
            if (blank && !Py_UNICODE_ISSPACE(RD(&t, end)))
                blank = 0;
            end++;
        }
        if (append_int(starts, pos) < 0 || (!blank && append_pair(spans, pos, end) < 0))
            goto error;
        if (end >= t.n)
            break;
        pos = end + 1;
    }
    return Py_BuildValue("(NN)", starts, spans);
error:
    Py_XDECREF(starts);
    Py_XDECREF(spans);
    return NULL;
}

/* [^。！？!?；;\n]*[。！？!?；;]+[”’」』）)》]*|[^。！？!?；;\n]+, every match's span */
static PyObject *
sentences(PyObject *self, PyObject *arg)
{
    View t;
    if (view_of(arg, &t) < 0)
        return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t p = 0;
    while (p < t.n) {
        if (RD(&t, p) == '\n') {
            p++;
            continue;
        }
        Py_ssize_t q = p;
        while (q < t.n && !is_stop(RD(&t, q)) && RD(&t, q) != '\n')
            q++;
        if (q < t.n && is_stop(RD(&t, q))) {
            while (q < t.n && is_stop(RD(&t, q)))
                q++;
            while (q < t.n && is_closing_quote(RD(&t, q)))
                q++;
        }
        if (append_pair(out, p, q) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        p = q;
    }
    return out;
}

/* ------------------------------------------------------------------ outline */

/* Style codes: parse.outline.STYLES */
enum { CN, PAREN_CN, ARABIC, PAREN_ARABIC, ARABIC_PAREN, CIRCLED, ORDINAL, ENUM };

/* _LINE_TOKEN.match(text, ls, le): the style and the token's end, or -1. */
static int
line_token(const Text *t, Py_ssize_t ls, Py_ssize_t le, Py_ssize_t *after)
{
    if (ls >= le)
        return -1;
    Py_UCS4 c = AT(t, ls);
    Py_ssize_t k;
    if (is_open(c)) {
        k = run(t, ls + 1, le, is_cn); /* (?P<paren_cn>[（(][一-十]{1,3}[）)]) */
        if (k >= 1 && k <= 3 && ls + 1 + k < le && is_close(AT(t, ls + 1 + k))) {
            *after = ls + 2 + k;
            return PAREN_CN;
        }
    }
    if (is_cn(c)) { /* (?P<cn>[一-十]{1,3}[、，,．.]) */
        k = run(t, ls, le, is_cn);
        if (k <= 3 && ls + k < le) {
            Py_UCS4 s = AT(t, ls + k);
            if (s == 0x3001 || s == 0xFF0C || s == ',' || s == 0xFF0E || s == '.') {
                *after = ls + k + 1;
                return CN;
            }
        }
    }
    if (is_open(c)) { /* (?P<paren_arabic>[（(]\d{1,2}[）)]) */
        k = run(t, ls + 1, le, is_decimal);
        if (k >= 1 && k <= 2 && ls + 1 + k < le && is_close(AT(t, ls + 1 + k))) {
            *after = ls + 2 + k;
            return PAREN_ARABIC;
        }
    }
    if (is_decimal(c)) {
        k = run(t, ls, le, is_decimal);
        if (k <= 2 && ls + k < le) {
            Py_UCS4 s = AT(t, ls + k);
            /* (?P<arabic>\d{1,2}(?:[.．、](?![\d.．]))) */
            if (is_arabic_sep(s)) {
                Py_ssize_t x = ls + k + 1;
                if (x >= le || !(is_decimal(AT(t, x)) || AT(t, x) == '.' || AT(t, x) == 0xFF0E)) {
                    *after = x;
                    return ARABIC;
                }
            }
            if (is_close(s)) { /* (?P<arabic_paren>\d{1,2}[）)]) */
                *after = ls + k + 1;
                return ARABIC_PAREN;
            }
        }
    }
    if (is_circled(c)) {
        *after = ls + 1;
        return CIRCLED;
    }
    if (c == 0x7B2C) { /* (?P<ordinal>第[一-十]{1,3}[，,、](?=\S)) */
        k = run(t, ls + 1, le, is_cn);
        Py_ssize_t x = ls + 1 + k;
        if (k >= 1 && k <= 3 && x + 1 < le) {
            Py_UCS4 s = AT(t, x);
            if ((s == 0xFF0C || s == ',' || s == 0x3001) && !Py_UNICODE_ISSPACE(AT(t, x + 1))) {
                *after = x + 1;
                return ORDINAL;
            }
        }
    }
    return -1;
}

static int
item_mark(Py_UCS4 c) /* 。；;：: */
{
    return c == 0x3002 || c == 0xFF1B || c == ';' || c == 0xFF1A || c == ':';
}

/* _INLINE_ITEM at p (the character before p may be anything; `end` is the search's end):
 * (?<=[。；;：:，,、])(?:[（(]\d{1,2}[）)]|[①-⑳])|(?<=[。；;：:])(?:\d{1,2}[.．、](?![\d.．])|\d{1,2}[）)]) */
static int
inline_item(const Text *t, Py_ssize_t p, Py_ssize_t end, Py_ssize_t *after)
{
    if (p < 1 || p >= end)
        return -1;
    Py_UCS4 m = AT(t, p - 1), c = AT(t, p);
    int narrow = item_mark(m), wide = narrow || m == 0xFF0C || m == ',' || m == 0x3001;
    Py_ssize_t k;
    if (!wide)
        return -1;
    if (is_open(c)) {
        k = run(t, p + 1, end, is_decimal);
        if (k >= 1 && k <= 2 && p + 1 + k < end && is_close(AT(t, p + 1 + k))) {
            *after = p + 2 + k;
            return PAREN_ARABIC;
        }
        return -1;
    }
    if (is_circled(c)) {
        *after = p + 1;
        return CIRCLED;
    }
    if (!narrow || !is_decimal(c))
        return -1;
    k = run(t, p, end, is_decimal);
    if (k > 2 || p + k >= end)
        return -1;
    Py_UCS4 s = AT(t, p + k);
    if (is_arabic_sep(s)) {
        Py_ssize_t x = p + k + 1;
        if (x >= end || !(is_decimal(AT(t, x)) || AT(t, x) == '.' || AT(t, x) == 0xFF0E)) {
            *after = x;
            return ARABIC;
        }
        return -1;
    }
    if (is_close(s)) {
        *after = p + k + 1;
        return ARABIC_PAREN;
    }
    return -1;
}

static int
enum_boundary(Py_UCS4 c) /* [。；;，,：:！？!?、）)”\s] */
{
    return is_clause_end(c) || c == 0x3001 || c == 0xFF09 || c == ')' || c == 0x201D || Py_UNICODE_ISSPACE(c);
}

/* _ENUM at p: ([一-十](?<![^。；;，,：:！？!?、）)”\s].)[一-十]{0,2})是(?![否非一-十]) */
static int
enum_item(const Text *t, Py_ssize_t p, Py_ssize_t end, Py_ssize_t *after)
{
    if (p >= end || !is_cn(AT(t, p)) || (p >= 1 && !enum_boundary(AT(t, p - 1))))
        return -1;
    Py_ssize_t k = run(t, p, end, is_cn);
    Py_ssize_t x = p + k;
    if (k > 3 || x >= end || AT(t, x) != 0x662F)
        return -1;
    if (x + 1 < end) {
        Py_UCS4 n = AT(t, x + 1);
        if (n == 0x5426 || n == 0x975E || is_cn(n))
            return -1;
    }
    *after = x + 1;
    return ENUM;
}

/* A match found by a scan: start, end, style. */
typedef struct {
    Py_ssize_t start, end;
    int style;
} Mark;

typedef struct {
    Mark *v;
    Py_ssize_t n, cap;
} Marks;

static int
push(Marks *out, Py_ssize_t start, Py_ssize_t end, int style)
{
    if (out->n == out->cap) {
        Py_ssize_t cap = out->cap ? out->cap * 2 : 16; /* at most one mark per character */
        Mark *v = PyMem_Realloc(out->v, (size_t)cap * sizeof(Mark));
        if (v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n++] = (Mark){start, end, style};
    return 0;
}

/* Characters that may be one of the marks before an inline item: ASCII, CJK punctuation, full-width forms. */
static int
maybe_mark(Py_UCS4 c)
{
    return c < 0x80 || (c >= 0x3000 && c <= 0x303F) || c >= 0xFF00;
}

/* finditer(text, from, end) of _INLINE_ITEM (want_enum 0) or _ENUM (1): non-overlapping matches,
 * left to right; a cheap test of one character passes over most positions. */
static int
scan(const Text *t, int want_enum, Py_ssize_t from, Py_ssize_t end, Marks *out)
{
    out->n = 0;
    for (Py_ssize_t p = from; p < end;) {
        Py_ssize_t after;
        int style;
        if (want_enum) {
            Py_UCS4 c = AT(t, p);
            style = c >= 0x4E00 && c <= 0x56DB ? enum_item(t, p, end, &after) : -1; /* 一 .. 四 */
        } else {
            style = p >= 1 && maybe_mark(AT(t, p - 1)) ? inline_item(t, p, end, &after) : -1;
        }
        if (style < 0) {
            p++;
            continue;
        }
        if (push(out, p, after, style) < 0)
            return -1;
        p = after;
    }
    return 0;
}

/* _clause's end: the first ，,。；;：:！？!? in [pos, end), else end; never before pos. */
static Py_ssize_t
clause_end(const Text *t, Py_ssize_t pos, Py_ssize_t end)
{
    Py_ssize_t i = pos;
    while (i < end && !is_clause_end(AT(t, i)))
        i++;
    return i < pos ? pos : i;
}

/* Append the row (line index, start, end, token end, style, inline, token, text) to out: the
 * token is str[start:after], the text str[after:end].strip(). */
static int
emit(PyObject *out, PyObject *str, const Text *t, Py_ssize_t li, Py_ssize_t start, Py_ssize_t end,
     Py_ssize_t after, int style, int inl)
{
    Py_ssize_t v[5] = {li, start, end, after, style};
    Py_ssize_t a = after, b = end;
    while (a < b && Py_UNICODE_ISSPACE(AT(t, a)))
        a++;
    while (b > a && Py_UNICODE_ISSPACE(AT(t, b - 1)))
        b--;
    PyObject *row = PyTuple_New(8);
    if (row == NULL)
        return -1;
    for (int k = 0; k < 5; k++) {
        PyObject *o = PyLong_FromSsize_t(v[k]);
        if (o == NULL) {
            Py_DECREF(row);
            return -1;
        }
        PyTuple_SET_ITEM(row, k, o);
    }
    PyTuple_SET_ITEM(row, 5, Py_NewRef(inl ? Py_True : Py_False));
    PyObject *token = PyUnicode_Substring(str, start, after), *text = PyUnicode_Substring(str, a, b);
    if (token == NULL || text == NULL) {
        Py_XDECREF(token);
        Py_XDECREF(text);
        Py_DECREF(row);
        return -1;
    }
    PyTuple_SET_ITEM(row, 6, token);
    PyTuple_SET_ITEM(row, 7, text);
    int rc = PyList_Append(out, row);
    Py_DECREF(row);
    return rc;
}

/* outline.MANY_INLINE, outline.INLINE_HEAD_CAP */
#define MANY_INLINE 64
#define INLINE_HEAD_CAP 200

/* How many marks of ms[from..] start in [max(ls, body_from), le). */
static Py_ssize_t
count_from(const Marks *ms, Py_ssize_t from, Py_ssize_t ls, Py_ssize_t le, Py_ssize_t body_from)
{
    Py_ssize_t n = 0;
    for (Py_ssize_t k = from; k < ms->n && ms->v[k].start < le; k++)
        n += ms->v[k].start >= ls && ms->v[k].start >= body_from;
    return n;
}

/* Emit, in order of their start, the items of `its` from *i on and the enumerations of `ens`
 * from *e on that start in [ls, le) (those before ls are passed), skipping those before
 * body_from; each one's text runs to the end of its clause (at most INLINE_HEAD_CAP characters
 * when the line has more than MANY_INLINE of them, as outline._marks does). */
static int
emit_inline(PyObject *out, PyObject *str, const Text *t, const Marks *its, Py_ssize_t *i, const Marks *ens,
            Py_ssize_t *e, Py_ssize_t li, Py_ssize_t ls, Py_ssize_t le, Py_ssize_t body_from)
{
    int many = count_from(its, *i, ls, le, body_from) + count_from(ens, *e, ls, le, body_from) > MANY_INLINE;
    for (;;) {
        const Mark *m = NULL;
        int in_items = *i < its->n && its->v[*i].start < le, in_enums = *e < ens->n && ens->v[*e].start < le;
        if (in_items && (!in_enums || its->v[*i].start < ens->v[*e].start))
            m = &its->v[(*i)++];
        else if (in_enums)
            m = &ens->v[(*e)++];
        else
            return 0;
        if (m->start < ls || m->start < body_from)
            continue;
        Py_ssize_t lim = many && le - m->end > INLINE_HEAD_CAP ? m->end + INLINE_HEAD_CAP : le;
        Py_ssize_t stop = clause_end(t, m->end, lim);
        if (emit(out, str, t, li, m->start, stop, m->end, m->style, 1) < 0)
            return -1;
    }
}

/* Does a mark of ms[*from..] starting in [ls, le) run across `after`? */
static int
crosses(const Marks *ms, Py_ssize_t from, Py_ssize_t ls, Py_ssize_t le, Py_ssize_t after)
{
    for (Py_ssize_t i = from; i < ms->n && ms->v[i].start < le; i++)
        if (ms->v[i].start >= ls && ms->v[i].start < after && after < ms->v[i].end)
            return 1;
    return 0;
}

/* heading_marks(text, line_spans): for every line, its heading (a numbering token at its start)
 * and its inline items and enumerations in order of their start, as the rows of
 * parse.outline._marks (see emit). */
static PyObject *
heading_marks(PyObject *self, PyObject *args)
{
    PyObject *s, *spans, *out = NULL, *seq = NULL;
    Text t;
    Marks items = {NULL, 0, 0}, enums = {NULL, 0, 0}, line_items = {NULL, 0, 0}, line_enums = {NULL, 0, 0};
    if (!PyArg_ParseTuple(args, "OO:heading_marks", &s, &spans) || text_of(s, &t) < 0)
        return NULL;
    seq = PySequence_Tuple(spans); /* a tuple owns its items: a span's __index__ cannot free them */
    if (seq == NULL) {
        text_free(&t);
        return NULL;
    }
    out = PyList_New(0);
    if (out == NULL || scan(&t, 0, 0, t.n, &items) < 0 || scan(&t, 1, 0, t.n, &enums) < 0)
        goto error;
    Py_ssize_t ii = 0, ei = 0, nlines = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t li = 0; li < nlines; li++) {
        Py_ssize_t ls, le, after;
        PyObject *span = PySequence_Fast_GET_ITEM(seq, li);
        if (PyTuple_Check(span) && PyTuple_GET_SIZE(span) == 2) {
            ls = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
            le = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
            if ((ls == -1 || le == -1) && PyErr_Occurred())
                goto error;
        } else if (!PyArg_Parse(span, "(nn):line span", &ls, &le)) {
            goto error;
        }
        if (ls < 0 || le > t.n || ls > le) {
            PyErr_SetString(PyExc_ValueError, "line span outside the text");
            goto error;
        }
        /* _by_line: marks that start before this line's end and after the previous line's end */
        while (ii < items.n && items.v[ii].start < ls)
            ii++;
        while (ei < enums.n && enums.v[ei].start < ls)
            ei++;
        Py_ssize_t body_from = ls;
        int style = line_token(&t, ls, le, &after);
        const Marks *its = &items, *ens = &enums;
        Py_ssize_t i0 = ii, e0 = ei;
        if (style >= 0 && after < le) {
            Py_ssize_t end, x;
            for (x = after; x < le && !is_stop(AT(&t, x)); x++)
                ;
            end = x;
            if (end - after > 60) { /* a long run-on line: the text up to the first clause */
                for (x = after; x < le && !is_clause_end(AT(&t, x)); x++)
                    ;
                end = x < le ? x : after + 60;
            }
            if (emit(out, s, &t, li, ls, end, after, style, 0) < 0)
                goto error;
            body_from = after;
            if (crosses(&items, ii, ls, le, after) || crosses(&enums, ei, ls, le, after)) {
                /* a match across the heading's token: scan the line after it */
                if (scan(&t, 0, after, le, &line_items) < 0 || scan(&t, 1, after, le, &line_enums) < 0)
                    goto error;
                its = &line_items;
                ens = &line_enums;
                i0 = e0 = 0;
            }
        }
        Py_ssize_t i1 = i0, e1 = e0;
        if (emit_inline(out, s, &t, its, &i1, ens, &e1, li, ls, le, body_from) < 0)
            goto error;
        if (its == &items) {
            ii = i1;
            ei = e1;
        }
    }
    PyMem_Free(items.v);
    PyMem_Free(enums.v);
    PyMem_Free(line_items.v);
    PyMem_Free(line_enums.v);
    Py_DECREF(seq);
    text_free(&t);
    return out;
error:
    PyMem_Free(items.v);
    PyMem_Free(enums.v);
    PyMem_Free(line_items.v);
    PyMem_Free(line_enums.v);
    Py_XDECREF(out);
    Py_DECREF(seq);
    text_free(&t);
    return NULL;
}

/* ------------------------------------------------------------------ run-in headings */

static PyObject *str_cn, *str_paren_cn, *str_arabic, *str_headed;

typedef struct {
    long cn, paren_cn, arabic;
} Outline;

static long *
level(Outline *o, int style)
{
    return style == CN ? &o->cn : style == PAREN_CN ? &o->paren_cn : &o->arabic;
}

static int
accepts(Outline *o, int style, long value, int after_stop)
{
    long expected = *level(o, style);
    if (after_stop)
        return value == 1 || (expected - 1 <= value && value <= expected + 2);
    return value == expected;
}

static void
see(Outline *o, int style, long value)
{
    if (style == CN) {
        o->cn = value + 1;
        o->paren_cn = o->arabic = 1;
    } else if (style == PAREN_CN) {
        o->paren_cn = value + 1;
        o->arabic = 1;
    } else {
        o->arabic = value + 1;
    }
}

static int wb_closer(Py_UCS4 c) { return is_closing_quote(c); } /* ”’）)》」』 */

static int
wb_sentence_end(Py_UCS4 c) /* 。！？!? */
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
}

/* webcopy._breaks_before_token: does the token at i (> 0) start a heading inside the line? */
static int
breaks_before(const Text *t, int style, Py_ssize_t i, long value, Outline *o)
{
    int spaced = AT(t, i - 1) == ' ';
    if (spaced && i < 2)
        return 0;
    Py_UCS4 prev = AT(t, spaced ? i - 2 : i - 1);
    Py_ssize_t j = spaced ? i - 2 : i - 1;
    while (j > 0 && wb_closer(AT(t, j)))
        j--;
    Py_UCS4 before = AT(t, j);
    int after_stop = style != ARABIC ? (wb_sentence_end(before) || before == 0xFF1B || before == ';' ||
                                         before == 0xFF1A || before == ':')
                                      : wb_sentence_end(before);
    int glued = is_han(prev) || wb_closer(prev);
    if (spaced && !Py_UNICODE_ISDIGIT(prev))
        after_stop = 1;
    if (style == CN) {
        if (after_stop)
            return accepts(o, style, value, 1);
        return glued && value >= 2 && value == o->cn && !is_cn(prev) && prev != 0x7B2C;
    }
    if (style == PAREN_CN) {
        if (prev == 0x7B2C || prev == 0x6761 || prev == 0x6B3E || prev == 0x9879 || Py_UNICODE_ISDIGIT(prev))
            return 0; /* 第条款项 */
        return (after_stop || glued) && accepts(o, style, value, after_stop);
    }
    if (prev == 0x5E74 || prev == 0x6708 || prev == 0x65E5 || prev == 0x53F7 || prev == 0x7B2C || !(after_stop || glued))
        return 0; /* 年月日号第 */
    return accepts(o, style, value, after_stop);
}

/* webcopy._tokens at the match of _TOKEN at i: a token's style, start, end and value, or -1. */
static int
token_at(const Text *t, Py_ssize_t i, Py_ssize_t *start, Py_ssize_t *end, long *value)
{
    Py_UCS4 c = AT(t, i);
    if (is_open(c)) { /* (?<=[（(])[一-十]{1,3}[）)] */
        Py_ssize_t k = run(t, i + 1, t->n, is_cn);
        if (k >= 1 && k <= 3 && i + 1 + k < t->n && is_close(AT(t, i + 1 + k))) {
            *start = i;
            *end = i + 2 + k;
            *value = cn_value(t, i + 1, i + 1 + k);
            return PAREN_CN;
        }
        return -1;
    }
    if (i < 1)
        return -1;
    Py_UCS4 p = AT(t, i - 1);
    Py_ssize_t j = i;
    if (c == 0x3001 && is_cn(p)) { /* (?<=[一-十]、) */
        while (j > 0 && is_cn(AT(t, j - 1)))
            j--;
        if (i - j <= 3 && (i + 1 >= t->n || !is_cn(AT(t, i + 1)))) {
            *start = j;
            *end = i + 1;
            *value = cn_value(t, j, i);
            return CN;
        }
        return -1; /* a match of _TOKEN that is no token */
    }
    if (is_arabic_sep(c) && is_ascii_digit(p)) { /* (?<=[0-9][、.．]) */
        while (j > 0 && is_ascii_digit(AT(t, j - 1)) && i - j < 3)
            j--;
        Py_UCS4 b = j > 0 ? AT(t, j - 1) : 0;
        if (i - j <= 2 && (j == 0 || !(is_ascii_digit(b) || b == '.' || b == 0xFF0E || b == 0x7B2C)) &&
            i + 1 < t->n && is_han(AT(t, i + 1))) {
            long v = 0;
            for (Py_ssize_t x = j; x < i; x++)
                v = v * 10 + (long)(AT(t, x) - '0');
            *start = j;
            *end = i + 1;
            *value = v;
            return ARABIC;
        }
        return -1;
    }
    return -1;
}

static int
get_long(PyObject *obj, PyObject *name, long *v)
{
    PyObject *o = PyObject_GetAttr(obj, name);
    if (o == NULL)
        return -1;
    *v = PyLong_AsLong(o);
    Py_DECREF(o);
    return (*v == -1 && PyErr_Occurred()) ? -1 : 0;
}

static int
set_long(PyObject *obj, PyObject *name, long v)
{
    PyObject *o = PyLong_FromLong(v);
    if (o == NULL)
        return -1;
    int rc = PyObject_SetAttr(obj, name, o);
    Py_DECREF(o);
    return rc;
}

/* token_breaks(text, expect, breaks): the numbering tokens of one block; appends to `breaks` the
 * offsets where a numbered heading starts inside the line, updates `expect` (an OutlineState) as
 * its see() does, and returns the offsets where the headings' text begins. */
static PyObject *
token_breaks(PyObject *self, PyObject *args)
{
    PyObject *s, *expect, *breaks, *starts;
    Text t;
    Outline o = {0, 0, 0};
    int loaded = 0, changed = 0;
    if (!PyArg_ParseTuple(args, "OOO!:token_breaks", &s, &expect, &PyList_Type, &breaks) || text_of(s, &t) < 0)
        return NULL;
    starts = PyList_New(0);
    if (starts == NULL) {
        text_free(&t);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < t.n;) {
        Py_ssize_t start, end;
        long value;
        Py_UCS4 c = AT(&t, i);
        if (!(c == 0x3001 || c == '.' || c == 0xFF0E || is_open(c))) {
            i++;
            continue;
        }
        int style = token_at(&t, i, &start, &end, &value);
        if (style < 0) {
            i++;
            continue;
        }
        i = end; /* the regex goes on after its match: the mark, or all of （一） */
        if (!loaded) {
            if (get_long(expect, str_cn, &o.cn) < 0 || get_long(expect, str_paren_cn, &o.paren_cn) < 0 ||
                get_long(expect, str_arabic, &o.arabic) < 0)
                goto error;
            loaded = 1;
        }
        if (start == 0 || breaks_before(&t, style, start, value, &o)) {
            see(&o, style, value);
            changed = 1;
            if ((start > 0 && append_int(breaks, start) < 0) || append_int(starts, end) < 0)
                goto error;
        }
    }
    if (changed && (set_long(expect, str_cn, o.cn) < 0 || set_long(expect, str_paren_cn, o.paren_cn) < 0 ||
                    set_long(expect, str_arabic, o.arabic) < 0 || PyObject_SetAttr(expect, str_headed, Py_True) < 0))
        goto error;
    text_free(&t);
    return starts;
error:
    Py_DECREF(starts);
    text_free(&t);
    return NULL;
}

/* ------------------------------------------------------------------ traditional script */

/* first_of(text, chars): the index of the first character of text that is one of chars, or -1
 * (re.compile("[" + chars + "]").search(text)). */
static PyObject *
first_of(PyObject *self, PyObject *args)
{
    PyObject *s, *set;
    View t, c;
    unsigned char bmp[0x10000 / 8]; /* the characters of chars below U+10000 */
    int wide = 0;                    /* chars has characters beyond U+FFFF */
    if (!PyArg_ParseTuple(args, "OO:first_of", &s, &set) || view_of(s, &t) < 0 || view_of(set, &c) < 0)
        return NULL;
    memset(bmp, 0, sizeof bmp);
    for (Py_ssize_t i = 0; i < c.n; i++) {
        Py_UCS4 ch = RD(&c, i);
        if (ch < 0x10000)
            bmp[ch >> 3] |= (unsigned char)(1u << (ch & 7));
        else
            wide = 1;
    }
    for (Py_ssize_t i = 0; i < t.n; i++) {
        Py_UCS4 ch = RD(&t, i);
        if (ch < 0x10000) {
            if (bmp[ch >> 3] & (1u << (ch & 7)))
                return PyLong_FromSsize_t(i);
        } else if (wide) {
            for (Py_ssize_t j = 0; j < c.n; j++)
                if (RD(&c, j) == ch)
                    return PyLong_FromSsize_t(i);
        }
    }
    return PyLong_FromLong(-1);
}

/* ------------------------------------------------------------------ module */

static PyMethodDef methods[] = {
    {"bad_chars", bad_chars, METH_VARARGS, "The control and replacement characters in text[:limit]."},
    {"split_lines", split_lines, METH_O, "(line starts, spans of the non-blank lines)."},
    {"sentences", sentences, METH_O, "The spans of the sentences of every line."},
    {"heading_marks", heading_marks, METH_VARARGS, "The numbering tokens of each line, as rows."},
    {"token_breaks", token_breaks, METH_VARARGS, "Numbered headings run into one block of text."},
    {"first_of", first_of, METH_VARARGS, "The index of the first character of text that is one of chars, or -1."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_load",
    .m_doc = "The load stage's hot loops.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__load(void)
{
    str_cn = PyUnicode_InternFromString("cn");
    str_paren_cn = PyUnicode_InternFromString("paren_cn");
    str_arabic = PyUnicode_InternFromString("arabic");
    str_headed = PyUnicode_InternFromString("headed");
    if (str_cn == NULL || str_paren_cn == NULL || str_arabic == NULL || str_headed == NULL)
        return NULL;
    return PyModule_Create(&module);
}
