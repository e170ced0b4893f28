/* Kernels of fazhi.extract (issue 12, item 22): the figures of a report (quantities.py) and the
 * 纲要 keyword hits (coverage.py), each in one pass over the text.
 *
 * quantities(text, tables) -> list[Quantity]
 *     find_quantities in one scan: the match of quantities._QUANTITY at each position (the regex
 *     emulated exactly: greedy optional groups, leftmost units first), the filters, the value and
 *     what the figure counts (_counts/_clean). The word lists and character sets come from the
 *     Python module in `tables` (see quantities._TABLES), so they are written down once.
 *
 * keyword_table(groups) -> capsule; keyword_hits(text, start, table, patterns, skip) -> list[list[int]]
 *     For each group of keywords (longest first, as in a regex alternation), the start offsets
 *     of `re.compile("|".join(group)).finditer(text, start)`: leftmost, then the first keyword in
 *     the group's order, the next search from the end of the hit. All groups in one pass. A
 *     group's regexes (alternatives after its keywords) come in as the spans where they match;
 *     hits inside the spans of skip (the report's 《》 titles) are left out.
 *
 * Strings are read with PyUnicode_READ whatever their kind (characters beyond U+FFFF work). */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Text;

#define CH(t, i) PyUnicode_READ((t)->kind, (t)->data, (i))

static void text_init(Text *t, PyObject *s)
{
    t->kind = PyUnicode_KIND(s);
    t->data = PyUnicode_DATA(s);
    t->n = PyUnicode_GET_LENGTH(s);
}

/* whether the str `w` (non-empty) occurs at t[i:] without passing `lim` */
static int word_at(const Text *t, Py_ssize_t i, Py_ssize_t lim, PyObject *w)
{
    Py_ssize_t m = PyUnicode_GET_LENGTH(w);
    if (m == 0 || i + m > lim)
        return 0;
    int k = PyUnicode_KIND(w);
    const void *d = PyUnicode_DATA(w);
    for (Py_ssize_t j = 0; j < m; j++)
        if (PyUnicode_READ(k, d, j) != CH(t, i + j))
            return 0;
    return 1;
}

/* the length of the first word of the tuple `words` at t[i:] (not passing lim), 0 if none;
 * *index gets its position in the tuple */
static Py_ssize_t first_word(const Text *t, Py_ssize_t i, Py_ssize_t lim, PyObject *words, Py_ssize_t *index)
{
    Py_ssize_t nw = PyTuple_GET_SIZE(words);
    for (Py_ssize_t k = 0; k < nw; k++) {
        PyObject *w = PyTuple_GET_ITEM(words, k);
        if (word_at(t, i, lim, w)) {
            if (index)
                *index = k;
            return PyUnicode_GET_LENGTH(w);
        }
    }
    return 0;
}

/* the first characters of a tuple of words, hashed to 4096 bits: a cheap "no word starts here" */
typedef struct {
    unsigned char bits[512];
} FirstChars;

static void first_chars(FirstChars *f, PyObject *words)
{
    memset(f->bits, 0, sizeof f->bits);
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(words); k++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(PyTuple_GET_ITEM(words, k), 0);
        f->bits[(c >> 3) & 511] |= (unsigned char)(1 << (c & 7));
    }
}

static int may_start(const FirstChars *f, Py_UCS4 c) { return f->bits[(c >> 3) & 511] & (1 << (c & 7)); }

/* first_word with the FirstChars of `words` */
static Py_ssize_t first_word_f(const Text *t, Py_ssize_t i, Py_ssize_t lim, PyObject *words, const FirstChars *f)
{
    if (i >= lim || !may_start(f, CH(t, i)))
        return 0;
    return first_word(t, i, lim, words, NULL);
}

static int char_in(PyObject *s, Py_UCS4 c)
{
    Py_ssize_t m = PyUnicode_GET_LENGTH(s);
    int k = PyUnicode_KIND(s);
    const void *d = PyUnicode_DATA(s);
    for (Py_ssize_t j = 0; j < m; j++)
        if (PyUnicode_READ(k, d, j) == c)
            return 1;
    return 0;
}

/* a tuple of non-empty str */
static int check_words(PyObject *words, const char *what)
{
    if (!PyTuple_Check(words)) {
        PyErr_Format(PyExc_TypeError, "%s: a tuple of str expected", what);
        return -1;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(words); k++) {
        PyObject *w = PyTuple_GET_ITEM(words, k);
        if (!PyUnicode_Check(w) || PyUnicode_GET_LENGTH(w) == 0) {
            PyErr_Format(PyExc_TypeError, "%s: non-empty str expected", what);
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- quantities */

#define C_YUE 0x7EA6   /* 约 */
#define C_JIN 0x8FD1   /* 近 */
#define C_CHAO 0x8D85  /* 超 */
#define C_GUO 0x8FC7   /* 过 */
#define C_YU 0x903E    /* 逾 */
#define C_DA 0x5927    /* 大 */
#define C_BAI 0x767E   /* 百 */
#define C_FEN 0x5206   /* 分 */
#define C_ZHI 0x4E4B   /* 之 */
#define C_WAN 0x4E07   /* 万 */
#define C_YI 0x4EBF    /* 亿 */
#define C_YUE2 0x4F59  /* 余 */
#define C_DUO 0x591A   /* 多 */
#define C_ZUO 0x5DE6   /* 左 */
#define C_YOU 0x53F3   /* 右 */
#define C_DI 0x7B2C    /* 第 */
#define C_SHI 0x662F   /* 是 */
#define C_TEN 0x5341   /* 十 */
#define C_ONE 0x4E00   /* 一 */
#define C_LQUOTE 0x201C
#define C_RQUOTE 0x201D
#define C_FWDOT 0xFF0E /* ． */

static int is_ar_digit(Py_UCS4 c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }
static int is_han(Py_UCS4 c) { return c >= 0x4E00 && c <= 0x9FFF; }

/* 零〇一二两三四五六七八九 (the digits of a Chinese numeral, quantities._CN_DIGIT) */
static int cn_digit(Py_UCS4 c)
{
    switch (c) {
    case 0x96F6: case 0x3007: case 0x4E00: case 0x4E8C: case 0x4E24: case 0x4E09:
    case 0x56DB: case 0x4E94: case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D:
        return 1;
    }
    return 0;
}

static int cn_digit_value(Py_UCS4 c)
{
    switch (c) {
    case 0x4E00: return 1;
    case 0x4E8C: case 0x4E24: return 2;
    case 0x4E09: return 3;
    case 0x56DB: return 4;
    case 0x4E94: return 5;
    case 0x516D: return 6;
    case 0x4E03: return 7;
    case 0x516B: return 8;
    case 0x4E5D: return 9;
    }
    return 0;
}

/* [零〇一二两三四五六七八九十百千] */
static int cn_num(Py_UCS4 c) { return cn_digit(c) || c == C_TEN || c == C_BAI || c == 0x5343; }

/* the characters a match can start with (the lookahead of _QUANTITY) */
static int lead_char(Py_UCS4 c)
{
    return is_ar_digit(c) || cn_num(c) || c == C_YUE || c == C_JIN || c == C_CHAO || c == C_YU || c == C_DA;
}

/* _NUM at t[q:]: its end, or -1 */
static Py_ssize_t match_num(const Text *t, Py_ssize_t q)
{
    Py_ssize_t i = q, n = t->n;
    if (i < n && is_ar_digit(CH(t, i))) {
        while (i < n && is_ar_digit(CH(t, i)))
            i++;
        while (i + 3 < n && CH(t, i) == ',') {
            Py_UCS4 a = CH(t, i + 1), b = CH(t, i + 2), c = CH(t, i + 3);
            if (!(a >= '0' && a <= '9' && b >= '0' && b <= '9' && c >= '0' && c <= '9'))
                break;
            i += 4;
        }
        if (i + 1 < n && (CH(t, i) == '.' || CH(t, i) == C_FWDOT) && is_ar_digit(CH(t, i + 1))) {
            i += 2;
            while (i < n && is_ar_digit(CH(t, i)))
                i++;
        }
        return i;
    }
    while (i < n && cn_num(CH(t, i)))
        i++;
    return i > q ? i : -1;
}

static int is_sep(Py_UCS4 c)
{
    return c == 0x81F3 || c == 0x5230 || c == 0xFF0D || c == '-' || c == '~' || c == 0xFF5E || c == 0x2014 || c == 0x2013;
}

typedef struct {
    Py_ssize_t s, e;        /* the whole match */
    Py_ssize_t pre;         /* length of 约/近/超过/逾/大约, 0 without */
    int pct_cn, pct, more, post;
    Py_ssize_t na, nb;      /* the number (pct_num or num) */
    Py_ssize_t n2a, n2b;    /* num2, n2a < 0 without */
    Py_ssize_t mag;         /* offset of 万/亿, -1 without */
    Py_ssize_t unit;        /* index in the units tuple, -1 without */
} Match;

/* what the Python module passes (quantities._TABLES), with the first characters of its word lists */
typedef struct {
    PyObject *cls, *units, *flags, *verbs, *stops, *lead, *tail, *cn_prev, *percent;
    PyObject *k_number, *k_percent, *k_money, *k_range;
    FirstChars units_f, verbs_f, lead_f, tail_f;
} Tables;

enum { U_MONEY = 1, U_IDIOM = 2, U_PAIR = 4, U_PART = 8 };

/* the part of _QUANTITY after the prefix, at t[q:] */
static int match_body(const Text *t, Py_ssize_t q, const Tables *tb, Match *m)
{
    Py_ssize_t n = t->n, e, i;
    m->pct_cn = m->pct = m->more = 0;
    m->n2a = m->n2b = m->mag = m->unit = -1;
    if (q + 2 < n && CH(t, q) == C_BAI && CH(t, q + 1) == C_FEN && CH(t, q + 2) == C_ZHI
        && (e = match_num(t, q + 3)) >= 0) {
        m->pct_cn = 1;
        m->na = q + 3;
        m->nb = m->e = e;
        return 1;
    }
    if ((e = match_num(t, q)) < 0)
        return 0;
    m->na = q;
    m->nb = i = e;
    if (i < n && is_sep(CH(t, i)) && (e = match_num(t, i + 1)) >= 0) {
        m->n2a = i + 1;
        m->n2b = i = e;
    }
    if (i < n && (CH(t, i) == C_WAN || CH(t, i) == C_YI))
        m->mag = i++;
    if (i < n && (CH(t, i) == C_YUE2 || CH(t, i) == C_DUO)) {
        m->more = 1;
        i++;
    }
    if (i < n && (CH(t, i) == '%' || CH(t, i) == 0xFF05)) {
        m->pct = 1;
        i++;
    } else {
        if (i < n && may_start(&tb->units_f, CH(t, i)))
            i += first_word(t, i, n, tb->units, &m->unit);
    }
    m->e = i;
    return 1;
}

/* _QUANTITY.match(text, p) */
static int match_at(const Text *t, Py_ssize_t p, const Tables *tb, Match *m)
{
    Py_ssize_t n = t->n;
    Py_UCS4 c = CH(t, p), d = p + 1 < n ? CH(t, p + 1) : 0;
    m->s = p;
    m->pre = 0;
    if (c == C_YUE || c == C_JIN || c == C_YU)
        m->pre = 1;
    else if ((c == C_CHAO && d == C_GUO) || (c == C_DA && d == C_YUE))
        m->pre = 2;
    if (!match_body(t, p + m->pre, tb, m)) {
        if (m->pre == 0)
            return 0;
        m->pre = 0;  /* the regex backtracks to no prefix */
        if (!match_body(t, p, tb, m))
            return 0;
    }
    m->post = 0;
    if (m->e + 1 < n && CH(t, m->e) == C_ZUO && CH(t, m->e + 1) == C_YOU) {
        m->post = 1;
        m->e += 2;
    }
    return 1;
}

/* float(quantities._to_float(t[a:b])) for a match of _NUM: 0 with *out set, 1 for no value (a
   Chinese number too large for a float: _to_float's None), -1 with an exception set on error */
static int num_value(const Text *t, Py_ssize_t a, Py_ssize_t b, double *out)
{
    int ok = 0;
    if (is_ar_digit(CH(t, a))) {
        char *buf = PyMem_Malloc((size_t)(b - a) + 1);
        if (buf == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        Py_ssize_t k = 0;
        for (Py_ssize_t i = a; i < b; i++) {
            Py_UCS4 c = CH(t, i);
            if (c >= 0xFF10 && c <= 0xFF19)
                buf[k++] = (char)('0' + (c - 0xFF10));
            else if (c == C_FWDOT || c == '.')
                buf[k++] = '.';
            else if (c != ',')
                buf[k++] = (char)c;
        }
        buf[k] = 0;
        *out = PyOS_string_to_double(buf, NULL, NULL);
        if (*out == -1.0 && PyErr_Occurred())
            ok = -1;
        PyMem_Free(buf);
        return ok;
    }
    int all_digits = b - a > 1;
    for (Py_ssize_t i = a; i < b && all_digits; i++)
        all_digits = cn_digit(CH(t, i));
    if (all_digits) {
        /* digit by digit ("二〇二五"): the exact integer, correctly rounded, as float(int) */
        Py_ssize_t i = a;
        while (i < b - 1 && cn_digit_value(CH(t, i)) == 0)
            i++;
        if (b - i > 309)
            return 1;  /* beyond a float: no value */
        char buf[311];
        Py_ssize_t k = 0;
        for (; i < b; i++)
            buf[k++] = (char)('0' + cn_digit_value(CH(t, i)));
        buf[k] = 0;
        *out = PyOS_string_to_double(buf, NULL, NULL);
        if (*out == -1.0 && PyErr_Occurred())
            return -1;
        if (isinf(*out))
            return 1;
        return 0;
    }
    /* 十 百 千 (numerals.cn_to_int): at most 9000 per character, exact in a double */
    double total = 0, current = 0;
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 c = CH(t, i);
        if (cn_digit(c)) {
            current = cn_digit_value(c);
        } else {
            double unit = c == C_TEN ? 10 : c == C_BAI ? 100 : 1000;
            total += (current != 0 ? current : 1) * unit;
            current = 0;
        }
    }
    *out = total + current;
    return 0;
}

/* quantities._inside_quotes */
static int inside_quotes(const Text *t, Py_ssize_t pos)
{
    Py_ssize_t left = -1, lo = pos - 12 > 0 ? pos - 12 : 0;
    for (Py_ssize_t i = pos - 1; i >= lo; i--)
        if (CH(t, i) == C_LQUOTE) {
            left = i;
            break;
        }
    if (left < 0)
        return 0;
    int right = 0;
    for (Py_ssize_t i = pos; i < pos + 12 && i < t->n; i++)
        if (CH(t, i) == C_RQUOTE) {
            right = 1;
            break;
        }
    if (!right)
        return 0;
    for (Py_ssize_t i = left; i < pos; i++)
        if (CH(t, i) == C_RQUOTE)
            return 0;
    return 1;
}


/* quantities._clean(t[a:b]): the span left, or 0 (too short or too long) */
static int clean(const Text *t, Py_ssize_t a, Py_ssize_t b, const Tables *tb, Py_ssize_t *ca, Py_ssize_t *cb)
{
    Py_ssize_t len;
    while ((len = first_word_f(t, a, b, tb->lead, &tb->lead_f)) > 0)
        a += len;
    /* the longest suffix made of tail words: seg[j] = t[a+j:b] is a sequence of them */
    Py_ssize_t m = b - a;
    if (m > 0 && m <= 64) {
        char seg[65];
        seg[m] = 1;
        Py_ssize_t nw = PyTuple_GET_SIZE(tb->tail), cut = -1;
        for (Py_ssize_t j = m - 1; j >= 0; j--) {
            seg[j] = 0;
            for (Py_ssize_t k = 0; k < nw && !seg[j]; k++) {
                PyObject *w = PyTuple_GET_ITEM(tb->tail, k);
                Py_ssize_t wl = PyUnicode_GET_LENGTH(w);
                if (j + wl <= m && seg[j + wl] && may_start(&tb->tail_f, CH(t, a + j)) && word_at(t, a + j, b, w))
                    seg[j] = 1;
            }
        }
        for (Py_ssize_t j = 0; j < m; j++)
            if (seg[j]) {
                cut = j;
                break;
            }
        if (cut >= 0)
            b = a + cut;
    }
    for (Py_ssize_t i = b - 1; i >= a; i--)
        if (CH(t, i) == 0x7684) { /* 的 */
            a = i + 1;
            break;
        }
    if (b - a < 2 || b - a > 12)
        return 0;
    *ca = a;
    *cb = b;
    return 1;
}

/* quantities._counts: the span of what the figure at [start, end) counts, or 0 */
static int counts(const Text *t, Py_ssize_t start, Py_ssize_t end, const Tables *tb, Py_ssize_t *ca, Py_ssize_t *cb)
{
    Py_ssize_t n = t->n;
    if (end < n && is_han(CH(t, end))) {
        Py_ssize_t i = end;
        while (i - end < 6 && i < n && is_han(CH(t, i)) && !char_in(tb->stops, CH(t, i))
               && first_word_f(t, i, n, tb->verbs, &tb->verbs_f) == 0)
            i++;
        if (i - end >= 2) {
            *ca = end;
            *cb = i;
            return 1;
        }
    }
    Py_ssize_t lo = start - 20 > 0 ? start - 20 : 0, run = lo;
    for (Py_ssize_t j = start - 1; j >= lo; j--)
        if (!is_han(CH(t, j))) {
            run = j + 1;
            break;
        }
    Py_ssize_t cuts[21];
    int nc = 0;
    cuts[nc++] = run;
    for (Py_ssize_t p = run; p < start;) {
        Py_ssize_t len = first_word_f(t, p, start, tb->verbs, &tb->verbs_f);
        if (len > 0) {
            p += len;
            cuts[nc++] = p;  /* at most 20: start - run <= 20 and every verb is non-empty */
        } else {
            p++;
        }
    }
    for (int k = nc - 1; k >= 0; k--)
        if (clean(t, cuts[k], start, tb, ca, cb))
            return 1;
    return 0;
}

static int parse_tables(PyObject *tables, Tables *tb)
{
    if (!PyTuple_Check(tables) || PyTuple_GET_SIZE(tables) != 13) {
        PyErr_SetString(PyExc_TypeError, "tables: a tuple of 13 expected");
        return -1;
    }
    PyObject *f[13];
    for (int i = 0; i < 13; i++)
        f[i] = PyTuple_GET_ITEM(tables, i);
    tb->cls = f[0], tb->units = f[1], tb->flags = f[2], tb->verbs = f[3], tb->stops = f[4], tb->lead = f[5];
    tb->tail = f[6], tb->cn_prev = f[7], tb->percent = f[8];
    tb->k_number = f[9], tb->k_percent = f[10], tb->k_money = f[11], tb->k_range = f[12];
    if (!PyCallable_Check(tb->cls) || check_words(tb->units, "units") || check_words(tb->verbs, "verbs")
        || check_words(tb->lead, "lead words") || check_words(tb->tail, "tail words"))
        goto bad;
    if (!PyBytes_Check(tb->flags) || PyBytes_GET_SIZE(tb->flags) != PyTuple_GET_SIZE(tb->units))
        goto bad;
    for (int i = 4; i < 13; i++)
        if (i != 5 && i != 6 && !PyUnicode_Check(f[i]))
            goto bad;
    first_chars(&tb->units_f, tb->units);
    first_chars(&tb->verbs_f, tb->verbs);
    first_chars(&tb->lead_f, tb->lead);
    first_chars(&tb->tail_f, tb->tail);
    return 0;
bad:
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_TypeError, "tables: wrong types");
    return -1;
}

static PyObject *substring_or_none(PyObject *s, Py_ssize_t a, Py_ssize_t b, int have)
{
    if (!have)
        Py_RETURN_NONE;
    return PyUnicode_Substring(s, a, b);
}

/* one Quantity from a match, appended to out; 0 when the match is no quantity, -1 on error */
static int quantity(PyObject *text, const Text *t, const Match *m, const Tables *tb, PyObject *out)
{
    Py_ssize_t start = m->s, end = m->e, n = t->n;
    if (m->unit < 0 && !(m->mag >= 0 || m->pct || m->pct_cn))
        return 0;
    Py_ssize_t na = m->na, nb = m->nb;
    int is_cn = !is_ar_digit(CH(t, na));
    PyObject *kind = tb->k_number;
    PyObject *unit = NULL;    /* borrowed; money with a magnitude: 万/亿 + unit */
    Py_ssize_t unit_mag = -1;
    int flags = 0;
    if (m->pct_cn || m->pct) {
        kind = tb->k_percent;
        unit = tb->percent;
    } else if (m->unit >= 0) {
        unit = PyTuple_GET_ITEM(tb->units, m->unit);
        flags = (unsigned char)PyBytes_AS_STRING(tb->flags)[m->unit];
        if (flags & U_MONEY) {
            kind = tb->k_money;
            unit_mag = m->mag;
            flags = 0;
        }
    } else if (m->mag < 0) {
        return 0;
    }
    int has_cn_digit = 0;
    if (is_cn)
        for (Py_ssize_t i = na; i < nb && !has_cn_digit; i++)
            has_cn_digit = cn_digit(CH(t, i));
    if (unit == NULL && is_cn && !has_cn_digit)
        return 0;  /* a bare number with a magnitude needs a digit ("两万") */
    Py_UCS4 prev = start ? CH(t, start - 1) : 0;
    if (start && (prev == C_DI || (prev >= '0' && prev <= '9') || prev == '.' || prev == C_FWDOT
                  || (prev >= 0xFF10 && prev <= 0xFF19)))
        return 0;
    if (is_cn) {
        if (!has_cn_digit && CH(t, na) != C_TEN)
            return 0;
        if ((nb - na == 1 && CH(t, na) == C_ONE && m->mag < 0) || start == 0 || char_in(tb->cn_prev, prev)
            || (end < n && CH(t, end) == C_SHI))
            return 0;
        if (inside_quotes(t, start))
            return 0;
        /* text.startswith(num + unit, end): 一项一项 */
        Py_ssize_t ul = unit ? PyUnicode_GET_LENGTH(unit) : 0, i = end, j;
        int same = end + (nb - na) + (unit_mag >= 0) + ul <= n;
        for (j = na; same && j < nb; j++)
            same = CH(t, i++) == CH(t, j);
        if (same && unit_mag >= 0)
            same = CH(t, i++) == CH(t, unit_mag);
        for (j = 0; same && j < ul; j++)
            same = CH(t, i++) == PyUnicode_READ_CHAR(unit, j);
        if (same)
            return 0;
    }
    if ((flags & U_IDIOM) && is_cn)
        return 0;
    Py_UCS4 after = end < n ? CH(t, end) : 0;
    if ((flags & U_PAIR) && (is_cn || (end < n && (is_ar_digit(after) || after == C_ONE))))
        return 0;
    if ((flags & U_PART) && end < n && after == C_FEN)
        return 0;
    if (unit == NULL && kind == tb->k_number && !is_cn) {
        int dot = 0;
        Py_ssize_t digits = 0;
        for (Py_ssize_t i = na; i < nb; i++) {
            Py_UCS4 c = CH(t, i);
            dot |= c == '.';
            digits += is_ar_digit(c);
        }
        if (!dot && digits >= 7)
            return 0;  /* telephone-like */
    }
    double value, upper = 0;
    int r = num_value(t, na, nb, &value);
    if (r != 0)
        return r < 0 ? -1 : 0;
    int has_upper = m->n2a >= 0;
    if (has_upper && (r = num_value(t, m->n2a, m->n2b, &upper)) != 0)
        return r < 0 ? -1 : 0;
    if (m->mag >= 0 && kind != tb->k_money) {
        double factor = CH(t, m->mag) == C_WAN ? 10000.0 : 1e8;
        value *= factor;
        upper *= factor;
    }
    if (has_upper) {
        if (unit == NULL && kind == tb->k_number)
            return 0;
        if (kind == tb->k_number)
            kind = tb->k_range;
    }
    int approx = m->pre > 0 || m->more || m->post;
    Py_ssize_t ca = 0, cb = 0;
    int have_counts = kind != tb->k_percent && counts(t, start + m->pre, end, tb, &ca, &cb);

    PyObject *args[9] = {NULL};
    int rc = -1;
    args[0] = PyUnicode_Substring(text, start, end);
    args[1] = PyFloat_FromDouble(value);
    if (unit == NULL) {
        args[2] = Py_NewRef(Py_None);
    } else if (unit_mag >= 0) {
        PyObject *mag = PyUnicode_Substring(text, unit_mag, unit_mag + 1);
        args[2] = mag ? PyUnicode_Concat(mag, unit) : NULL;
        Py_XDECREF(mag);
    } else {
        args[2] = Py_NewRef(unit);
    }
    args[3] = Py_NewRef(approx ? Py_True : Py_False);
    args[4] = PyLong_FromSsize_t(start);
    args[5] = PyLong_FromSsize_t(end);
    args[6] = substring_or_none(text, ca, cb, have_counts);
    args[7] = has_upper ? PyFloat_FromDouble(upper) : Py_NewRef(Py_None);
    args[8] = Py_NewRef(kind);
    for (int i = 0; i < 9; i++)
        if (args[i] == NULL)
            goto done;
    PyObject *q = PyObject_Vectorcall(tb->cls, args, 9, NULL);
    if (q == NULL)
        goto done;
    rc = PyList_Append(out, q);
    Py_DECREF(q);
done:
    for (int i = 0; i < 9; i++)
        Py_XDECREF(args[i]);
    return rc < 0 ? -1 : 1;
}

static PyObject *quantities(PyObject *self, PyObject *args)
{
    PyObject *text, *tables;
    Tables tb;
    if (!PyArg_ParseTuple(args, "UO:quantities", &text, &tables) || parse_tables(tables, &tb) < 0)
        return NULL;
    Text t;
    text_init(&t, text);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Match m;
    for (Py_ssize_t p = 0; p < t.n;) {
        if (!lead_char(CH(&t, p)) || !match_at(&t, p, &tb, &m)) {
            p++;
            continue;
        }
        if (quantity(text, &t, &m, &tb, out) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        p = m.e;
    }
    return out;
}

/* ---------------------------------------------------------------- keyword hits */

typedef struct {
    Py_UCS4 *chars;  /* the keyword */
    Py_UCS4 second;  /* its second character (a cheap first test), 0 for one character */
    Py_ssize_t len;
    Py_ssize_t group, order;
} Keyword;

typedef struct {
    Keyword *kw;      /* sorted by (first character, group, order) */
    Py_ssize_t nkw, ngroups;
    Py_UCS4 *firsts;      /* the distinct first characters, in order */
    Py_ssize_t *first_at; /* kw[first_at[i]:first_at[i + 1]] start with firsts[i] */
    Py_ssize_t nfirsts;
    unsigned char bmp[0x10000 / 8];  /* first characters below U+10000 */
} KeywordTable;

#define TABLE_NAME "fazhi._native._extract.KeywordTable"
#define MAX_KEYWORDS 100000

static void table_free(KeywordTable *tab)
{
    if (tab == NULL)
        return;
    for (Py_ssize_t i = 0; i < tab->nkw; i++)
        PyMem_Free(tab->kw[i].chars);
    PyMem_Free(tab->kw);
    PyMem_Free(tab->firsts);
    PyMem_Free(tab->first_at);
    PyMem_Free(tab);
}

static void capsule_free(PyObject *cap)
{
    table_free(PyCapsule_GetPointer(cap, TABLE_NAME));
}

static int kw_cmp(const void *pa, const void *pb)
{
    const Keyword *a = pa, *b = pb;
    if (a->chars[0] != b->chars[0])
        return a->chars[0] < b->chars[0] ? -1 : 1;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static PyObject *keyword_table(PyObject *self, PyObject *groups)
{
    if (!PyTuple_Check(groups)) {
        PyErr_SetString(PyExc_TypeError, "keyword_table: a tuple of tuples of str expected");
        return NULL;
    }
    Py_ssize_t ng = PyTuple_GET_SIZE(groups), total = 0;
    for (Py_ssize_t g = 0; g < ng; g++) {
        if (check_words(PyTuple_GET_ITEM(groups, g), "keyword_table") < 0)
            return NULL;
        total += PyTuple_GET_SIZE(PyTuple_GET_ITEM(groups, g));
    }
    if (total > MAX_KEYWORDS) {
        PyErr_SetString(PyExc_ValueError, "keyword_table: too many keywords");
        return NULL;
    }
    KeywordTable *tab = PyMem_Calloc(1, sizeof(KeywordTable));
    if (tab == NULL)
        return PyErr_NoMemory();
    tab->ngroups = ng;
    tab->kw = PyMem_Calloc(total ? (size_t)total : 1, sizeof(Keyword));
    if (tab->kw == NULL) {
        table_free(tab);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t g = 0; g < ng; g++) {
        PyObject *words = PyTuple_GET_ITEM(groups, g);
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(words); k++) {
            Keyword *kw = &tab->kw[tab->nkw];
            kw->chars = PyUnicode_AsUCS4Copy(PyTuple_GET_ITEM(words, k));
            if (kw->chars == NULL) {
                table_free(tab);
                return NULL;
            }
            tab->nkw++;
            kw->len = PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(words, k));
            kw->second = kw->len > 1 ? kw->chars[1] : 0;
            kw->group = g;
            kw->order = k;
            if (kw->chars[0] < 0x10000)
                tab->bmp[kw->chars[0] >> 3] |= (unsigned char)(1 << (kw->chars[0] & 7));
        }
    }
    qsort(tab->kw, (size_t)tab->nkw, sizeof(Keyword), kw_cmp);
    tab->firsts = PyMem_Malloc((size_t)(tab->nkw + 1) * sizeof(Py_UCS4));
    tab->first_at = PyMem_Malloc((size_t)(tab->nkw + 1) * sizeof(Py_ssize_t));
    if (tab->firsts == NULL || tab->first_at == NULL) {
        table_free(tab);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < tab->nkw; i++)
        if (i == 0 || tab->kw[i].chars[0] != tab->kw[i - 1].chars[0]) {
            tab->firsts[tab->nfirsts] = tab->kw[i].chars[0];
            tab->first_at[tab->nfirsts++] = i;
        }
    tab->first_at[tab->nfirsts] = tab->nkw;
    PyObject *cap = PyCapsule_New(tab, TABLE_NAME, capsule_free);
    if (cap == NULL)
        table_free(tab);
    return cap;
}

/* the (start, end) pairs of a group's pattern hits, read into spans[0..2n) (n returned), -1 on error */
static Py_ssize_t read_spans(PyObject *list, Py_ssize_t **spans)
{
    *spans = NULL;
    if (list == Py_None)
        return 0;
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "keyword_hits: a list of (start, end) expected");
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(list);
    *spans = PyMem_Malloc(2 * (size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    if (*spans == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyList_GET_ITEM(list, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "keyword_hits: a list of (start, end) expected");
            return -1;
        }
        for (int k = 0; k < 2; k++) {
            (*spans)[2 * i + k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, k));
            if ((*spans)[2 * i + k] == -1 && PyErr_Occurred())
                return -1;
        }
        if (i && (*spans)[2 * i] <= (*spans)[2 * i - 2]) {
            PyErr_SetString(PyExc_ValueError, "keyword_hits: pattern hits must be sorted by start");
            return -1;
        }
    }
    return n;
}

typedef struct {
    Py_ssize_t free_at;  /* the end of the group's last hit: the next search starts there */
    Py_ssize_t *spans;   /* pattern hits (start, end), sorted by start */
    Py_ssize_t nspans, next;
} Group;

static int add_hit(PyObject *out, Py_ssize_t g, Py_ssize_t p)
{
    PyObject *pos = PyLong_FromSsize_t(p);
    if (pos == NULL)
        return -1;
    int rc = PyList_Append(PyList_GET_ITEM(out, g), pos);
    Py_DECREF(pos);
    return rc;
}

/* whether p lies in one of the spans skip[2 * *k ...] (non-overlapping, sorted; p never decreases) */
static int skipped(const Py_ssize_t *skip, Py_ssize_t nskip, Py_ssize_t *k, Py_ssize_t p)
{
    while (*k < nskip && skip[2 * *k + 1] <= p)
        (*k)++;
    return *k < nskip && skip[2 * *k] <= p;
}

/* keyword_hits(text, start, table, patterns, skip): patterns has per group None or the (start,
 * end) of every position where one of the group's own regexes matches (after its keywords in the
 * alternation): a keyword at a position wins over a pattern there. A hit inside one of the
 * (start, end) spans of skip is left out of the result (the search still goes on after it). */
static PyObject *keyword_hits(PyObject *self, PyObject *args)
{
    PyObject *text, *cap, *patterns, *skip_list;
    Py_ssize_t start, *skip = NULL, nskip, sk = 0;
    if (!PyArg_ParseTuple(args, "UnOO!O:keyword_hits", &text, &start, &cap, &PyTuple_Type, &patterns, &skip_list))
        return NULL;
    KeywordTable *tab = PyCapsule_GetPointer(cap, TABLE_NAME);
    if (tab == NULL)
        return NULL;
    Py_ssize_t ng = tab->ngroups;
    if (PyTuple_GET_SIZE(patterns) != ng) {
        PyErr_SetString(PyExc_ValueError, "keyword_hits: one entry of patterns per group expected");
        return NULL;
    }
    if ((nskip = read_spans(skip_list, &skip)) < 0) {
        PyMem_Free(skip);
        return NULL;
    }
    for (Py_ssize_t i = 1; i < nskip; i++)
        if (skip[2 * i] < skip[2 * i - 1]) {
            PyMem_Free(skip);
            PyErr_SetString(PyExc_ValueError, "keyword_hits: the skipped spans overlap");
            return NULL;
        }
    Text t;
    text_init(&t, text);
    PyObject *out = PyList_New(ng);
    Group *gs = PyMem_Calloc(ng ? (size_t)ng : 1, sizeof(Group));
    if (out == NULL || gs == NULL) {
        Py_XDECREF(out);
        PyMem_Free(gs);
        PyMem_Free(skip);
        return PyErr_NoMemory();
    }
    Py_ssize_t next_pattern = PY_SSIZE_T_MAX;  /* the first pattern hit not yet passed, any group */
    for (Py_ssize_t g = 0; g < ng; g++) {
        PyObject *l = PyList_New(0);
        if (l == NULL)
            goto error;
        PyList_SET_ITEM(out, g, l);
        if ((gs[g].nspans = read_spans(PyTuple_GET_ITEM(patterns, g), &gs[g].spans)) < 0)
            goto error;
        while (gs[g].next < gs[g].nspans && gs[g].spans[2 * gs[g].next] < start)
            gs[g].next++;
        if (gs[g].next < gs[g].nspans && gs[g].spans[2 * gs[g].next] < next_pattern)
            next_pattern = gs[g].spans[2 * gs[g].next];
    }
    if (start < 0)
        start = 0;
    for (Py_ssize_t p = start; p < t.n; p++) {
        Py_UCS4 c = CH(&t, p);
        if (c >= 0x10000 || (tab->bmp[c >> 3] & (1 << (c & 7)))) {
            /* the keywords starting with c: binary search in the first characters */
            Py_ssize_t lo = 0, hi = tab->nfirsts;
            while (lo < hi) {
                Py_ssize_t mid = (lo + hi) / 2;
                if (tab->firsts[mid] < c)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            Py_ssize_t from = 0, to = 0;
            if (lo < tab->nfirsts && tab->firsts[lo] == c) {
                from = tab->first_at[lo];
                to = tab->first_at[lo + 1];
            }
            for (Py_ssize_t i = from; i < to; i++) {
                Keyword *kw = &tab->kw[i];
                if (p < gs[kw->group].free_at || p + kw->len > t.n)  /* inside this group's last hit */
                    continue;
                if (kw->len > 1 && kw->second != CH(&t, p + 1))
                    continue;
                Py_ssize_t j = 1;
                while (j < kw->len && kw->chars[j] == CH(&t, p + j))
                    j++;
                if (j < kw->len)
                    continue;
                if (!skipped(skip, nskip, &sk, p) && add_hit(out, kw->group, p) < 0)
                    goto error;
                gs[kw->group].free_at = p + kw->len;
            }
        }
        if (p == next_pattern) {
            next_pattern = PY_SSIZE_T_MAX;
            for (Py_ssize_t g = 0; g < ng; g++) {
                Group *gr = &gs[g];
                if (gr->next < gr->nspans && gr->spans[2 * gr->next] == p) {
                    if (p >= gr->free_at) {
                        if (!skipped(skip, nskip, &sk, p) && add_hit(out, g, p) < 0)
                            goto error;
                        gr->free_at = gr->spans[2 * gr->next + 1];
                    }
                    gr->next++;
                }
                if (gr->next < gr->nspans && gr->spans[2 * gr->next] < next_pattern)
                    next_pattern = gr->spans[2 * gr->next];
            }
        }
    }
    for (Py_ssize_t g = 0; g < ng; g++)
        PyMem_Free(gs[g].spans);
    PyMem_Free(gs);
    PyMem_Free(skip);
    return out;
error:
    for (Py_ssize_t g = 0; g < ng; g++)
        PyMem_Free(gs[g].spans);
    PyMem_Free(gs);
    PyMem_Free(skip);
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"quantities", quantities, METH_VARARGS, "find_quantities(text) in one scan: quantities(text, tables) -> list"},
    {"keyword_table", keyword_table, METH_O, "keyword_table(groups) -> table for keyword_hits"},
    {"keyword_hits", keyword_hits, METH_VARARGS,
     "keyword_hits(text, start, table, patterns, skip) -> per group, the starts of its regex alternation's finditer"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, .m_name = "_extract", .m_size = -1, .m_methods = methods};

PyMODINIT_FUNC PyInit__extract(void) { return PyModule_Create(&module); }
