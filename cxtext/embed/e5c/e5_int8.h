/* e5_int8.h - the int8 x int8 matmul of cxtext's int8 engine build (included by e5.c when
 * compiled with -DE5_INT8; see cxtext/embed/e5_build.py).
 *
 * The float32 build quantises activations per 32-value block, so every block's int32 partial
 * sum is converted to float and scaled: about four vector instructions per dot-product
 * instruction, which holds it near the float32 FMA rate. Here each scale covers a whole row:
 *   - weights: each 4-bit row is unpacked once at load to int8 with one scale per output row
 *     (scale = max|w| / 127);
 *   - activations: each token's row is quantised on the fly to int8 with one scale per row;
 *   - the inner product then accumulates in int32 over the whole row, and converts once.
 * The integer sums are exact, so every kernel below gives the same int32 results:
 *   - AVX-512 VNNI: vpdpbusd on 512 bits (activations shifted to unsigned, the shift taken
 *     back through each weight row's sum);
 *   - AVX-VNNI: the same on 256 bits;
 *   - AVX2: vpmaddubsw/vpmaddwd with the sign trick (|w| times sign-adjusted activations,
 *     both within +-127, so the 16-bit pair sums cannot saturate);
 *   - otherwise plain C;
 *   - AMX (tdpbusd on 16x64-byte tiles), on top of AVX-512 VNNI where the CPU has it and the
 *     kernel grants the process its tile state: same unsigned activations, same exact int32
 *     sums, so the same vectors bit for bit, several times the multiply-adds per cycle.
 * Weights are packed in panels of 64 output rows: [panel][k/4][64 rows][4 k]. An AMX B tile
 * (16 k-quads x 16 outputs x 4 k) is 16 rows of that layout at a stride of 256 bytes, and an
 * A tile (16 tokens x 64 k) is the quantised activations at a stride of nin: neither is
 * repacked. */

#define W8_PANEL 64
#define W8_MR 6          /* tokens per micro-tile */
#define W8_TCHUNK 96     /* tokens per parallel work item (a multiple of W8_MR and of 32) */

typedef struct {
    const block_q4_0 *src; /* the 4-bit matrix this was unpacked from (lookup key) */
    int8_t *w;             /* packed int8 weights */
    float *scale;          /* per output row */
    int32_t *wsum;         /* per output row: sum of its int8 weights */
    int nout, nin;
} w8_matrix;

#if defined(__AVX512VNNI__) && defined(__AVX512F__)
#define W8_KERNEL "avx512-vnni"
#define W8_UNSIGNED_ACTS 1
#elif defined(__AVXVNNI__)
#define W8_KERNEL "avx-vnni"
#define W8_UNSIGNED_ACTS 1
#elif defined(__AVX2__)
#define W8_KERNEL "avx2"
#define W8_UNSIGNED_ACTS 0
#else
#define W8_KERNEL "scalar"
#define W8_UNSIGNED_ACTS 0
#endif

static int w8_amx = -1;  /* 1: use AMX (built, permitted, wanted); -1: not decided yet */

#if defined(__AMX_INT8__) && defined(__AMX_TILE__) && defined(__AVX512VNNI__)
#define W8_AMX 1
#include <sys/syscall.h>
#include <unistd.h>
#define W8_ARCH_REQ_XCOMP_PERM 0x1023
#define W8_XFEATURE_XTILEDATA 18
#define W8_AMX_TOKENS 32 /* two A tiles of 16 tokens */
_Static_assert(W8_AMX_TOKENS <= E5_SLACK_ROWS, "AMX reads up to 31 rows past the end");

typedef struct __attribute__((packed, aligned(64))) {
    uint8_t palette, start_row, reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
} w8_tilecfg;

/* Ask the kernel for the tile state (Linux 5.16+); 0 when it refuses. */
static int w8_amx_permitted(void) {
    static int permitted = -1;
    if (permitted < 0)
        permitted = syscall(SYS_arch_prctl, W8_ARCH_REQ_XCOMP_PERM, W8_XFEATURE_XTILEDATA) == 0;
    return permitted;
}

/* Every tile: 16 rows of 64 bytes (A: 16 tokens x 64 k; B: 16 k-quads x 16 outputs x 4 k;
 * C: 16 tokens x 16 int32 sums). Loaded per thread at the start of each matmul. */
static void w8_amx_configure(void) {
    w8_tilecfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.palette = 1;
    for (int i = 0; i < 8; i++) { cfg.colsb[i] = 64; cfg.rows[i] = 16; }
    _tile_loadconfig(&cfg);
}
#endif

/* Turn AMX on (where built and permitted) or off; returns whether it is now on. For tests and
 * scripts/bench_embed.py, which compare it with the VNNI kernel in one process. */
int e5_int8_use_amx(int on) {
#ifdef W8_AMX
    w8_amx = on && w8_amx_permitted();
    return w8_amx;
#else
    (void)on;
    w8_amx = 0;
    return 0;
#endif
}

const char *e5_int8_kernel(void) {
#ifdef W8_AMX
    if (w8_amx > 0) return "amx";
#endif
    return W8_KERNEL;
}

/* Unpack a Q4_0 [nout, nin] matrix to per-row int8 in panel order; 0 when shapes do not fit. */
static int w8_pack(const block_q4_0 *W, int nout, int nin, w8_matrix *out) {
    if (nout % W8_PANEL || nin % 4) return 0;
    int nq = nin / 4;
    out->src = W; out->nout = nout; out->nin = nin;
    out->w = (int8_t *)aligned_alloc(64, (size_t)nout * nin);
    out->scale = (float *)malloc(sizeof(float) * nout);
    out->wsum = (int32_t *)malloc(sizeof(int32_t) * nout);
    float *row = (float *)malloc(sizeof(float) * nin);
    for (int o = 0; o < nout; o++) {
        deq_row(W + (size_t)o * (nin / QK), nin, row);
        float amax = 0.f;
        for (int k = 0; k < nin; k++) amax = fabsf(row[k]) > amax ? fabsf(row[k]) : amax;
        float s = amax / 127.f, inv = s > 0.f ? 1.f / s : 0.f;
        int p = o / W8_PANEL, r = o % W8_PANEL;
        int32_t sum = 0;
        for (int k = 0; k < nin; k++) {
            int v = (int)rintf(row[k] * inv);
            v = v > 127 ? 127 : (v < -127 ? -127 : v);
            out->w[(((size_t)p * nq + k / 4) * W8_PANEL + r) * 4 + k % 4] = (int8_t)v;
            sum += v;
        }
        out->scale[o] = s; out->wsum[o] = sum;
    }
    free(row);
    return 1;
}

static void w8_free(w8_matrix *m) { free(m->w); free(m->scale); free(m->wsum); }

/* Quantise X[L, nin] per row to int8 in [-127, 127] (stored +128 as unsigned for VNNI). */
static void w8_quantize_rows(const float *RESTRICT X, int L, int nin, uint8_t *RESTRICT q,
                             float *RESTRICT scale) {
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int t = 0; t < L; t++) {
        const float *x = X + (size_t)t * nin;
        float amax = 0.f;
        for (int k = 0; k < nin; k++) amax = fabsf(x[k]) > amax ? fabsf(x[k]) : amax;
        float s = amax / 127.f, inv = s > 0.f ? 1.f / s : 0.f;
        uint8_t *qq = q + (size_t)t * nin;
        for (int k = 0; k < nin; k++) {
            int v = (int)rintf(x[k] * inv);
            v = v > 127 ? 127 : (v < -127 ? -127 : v);
            qq[k] = (uint8_t)(W8_UNSIGNED_ACTS ? v + 128 : (int8_t)v);
        }
        scale[t] = s;
    }
}

/* acc[i][0..63] = sum_k a[i][k] * w[panel row][k] for mr tokens (exact int32). */
static inline __attribute__((always_inline)) void
w8_tile(const uint8_t *RESTRICT a, int nin, const int8_t *RESTRICT wp, int mr,
        int32_t acc[W8_MR][W8_PANEL]) {
    int nq = nin / 4;
#if defined(__AVX512VNNI__) && defined(__AVX512F__)
    __m512i c[W8_MR][4];
    for (int i = 0; i < mr; i++)
        for (int n = 0; n < 4; n++) c[i][n] = _mm512_setzero_si512();
    for (int kq = 0; kq < nq; kq++) {
        const int8_t *w = wp + (size_t)kq * W8_PANEL * 4;
        __m512i b0 = _mm512_load_si512((const void *)w), b1 = _mm512_load_si512((const void *)(w + 64));
        __m512i b2 = _mm512_load_si512((const void *)(w + 128)), b3 = _mm512_load_si512((const void *)(w + 192));
        for (int i = 0; i < mr; i++) {
            int32_t a4; memcpy(&a4, a + (size_t)i * nin + kq * 4, 4);
            __m512i av = _mm512_set1_epi32(a4);
            c[i][0] = _mm512_dpbusd_epi32(c[i][0], av, b0);
            c[i][1] = _mm512_dpbusd_epi32(c[i][1], av, b1);
            c[i][2] = _mm512_dpbusd_epi32(c[i][2], av, b2);
            c[i][3] = _mm512_dpbusd_epi32(c[i][3], av, b3);
        }
    }
    for (int i = 0; i < mr; i++)
        for (int n = 0; n < 4; n++) _mm512_storeu_si512((void *)(acc[i] + 16 * n), c[i][n]);
#elif defined(__AVX2__)
    /* 16 vector registers: half a panel (32 rows) at a time, two tokens per step */
    for (int half = 0; half < 2; half++)
        for (int i0 = 0; i0 < mr; i0 += 2) {
            int m2 = mr - i0 < 2 ? mr - i0 : 2;
            __m256i c[2][4];
            for (int i = 0; i < 2; i++)
                for (int n = 0; n < 4; n++) c[i][n] = _mm256_setzero_si256();
            for (int kq = 0; kq < nq; kq++) {
                const int8_t *w = wp + (size_t)kq * W8_PANEL * 4 + half * 128;
                __m256i b[4];
                for (int n = 0; n < 4; n++) b[n] = _mm256_load_si256((const __m256i *)(w + 32 * n));
#if !defined(__AVXVNNI__)
                __m256i babs[4];
                for (int n = 0; n < 4; n++) babs[n] = _mm256_sign_epi8(b[n], b[n]);
                const __m256i ones = _mm256_set1_epi16(1);
#endif
                for (int i = 0; i < m2; i++) {
                    int32_t a4; memcpy(&a4, a + (size_t)(i0 + i) * nin + kq * 4, 4);
                    __m256i av = _mm256_set1_epi32(a4);
                    for (int n = 0; n < 4; n++) {
#if defined(__AVXVNNI__)
                        c[i][n] = _mm256_dpbusd_avx_epi32(c[i][n], av, b[n]);
#else
                        __m256i p = _mm256_maddubs_epi16(babs[n], _mm256_sign_epi8(av, b[n]));
                        c[i][n] = _mm256_add_epi32(c[i][n], _mm256_madd_epi16(p, ones));
#endif
                    }
                }
            }
            for (int i = 0; i < m2; i++)
                for (int n = 0; n < 4; n++)
                    _mm256_storeu_si256((__m256i *)(acc[i0 + i] + half * 32 + 8 * n), c[i][n]);
        }
#else
    (void)nq;
    for (int i = 0; i < mr; i++) {
        const int8_t *ai = (const int8_t *)(a + (size_t)i * nin);
        for (int r = 0; r < W8_PANEL; r++) {
            int32_t s = 0;
            for (int k = 0; k < nin; k++)
                s += (int32_t)ai[k] * wp[((size_t)(k / 4) * W8_PANEL + r) * 4 + k % 4];
            acc[i][r] = s;
        }
    }
#endif
}

/* Y[t, o] = acc * a_scale[t] * w_scale[o] + bias[o] for one micro-tile: with AVX-512, one
 * panel's 64 outputs in four 16-lane vectors (its weight scales, biases and sum offsets held in
 * registers for all mr tokens), the same operations in the same order as the plain loop, which
 * -O3 turns into 256-bit code: s = acc - 128 wsum; fma(float(s), sa * w_scale, bias), or
 * float(s) * (sa * w_scale) without a bias. */
static inline __attribute__((always_inline)) void
w8_store(const w8_matrix *W, const float *bias, const float *ascale, int t0, int o0, int mr,
         const int32_t (*acc)[W8_PANEL], float *Y) {
#if defined(__AVX512F__)
    __m512 ws[4], b[4];
    __m512i off[4];
    for (int n = 0; n < 4; n++) {
        ws[n] = _mm512_loadu_ps(W->scale + o0 + 16 * n);
        b[n] = bias ? _mm512_loadu_ps(bias + o0 + 16 * n) : _mm512_setzero_ps();
        off[n] = W8_UNSIGNED_ACTS
            ? _mm512_slli_epi32(_mm512_loadu_si512((const void *)(W->wsum + o0 + 16 * n)), 7)
            : _mm512_setzero_si512();
    }
    for (int i = 0; i < mr; i++) {
        float *y = Y + (size_t)(t0 + i) * W->nout + o0;
        __m512 sa = _mm512_set1_ps(ascale[t0 + i]);
        for (int n = 0; n < 4; n++) {
            __m512 s = _mm512_cvtepi32_ps(
                _mm512_sub_epi32(_mm512_load_si512((const void *)(acc[i] + 16 * n)), off[n]));
            __m512 m = _mm512_mul_ps(sa, ws[n]);
            _mm512_storeu_ps(y + 16 * n, bias ? _mm512_fmadd_ps(s, m, b[n]) : _mm512_mul_ps(s, m));
        }
    }
#elif defined(__AVX2__) && defined(__FMA__)
    /* the same operations as the AVX-512 store, 8 lanes at a time. Left to -O3 -ffast-math,
     * the plain loop below was contracted and reassociated differently where it was inlined
     * for a whole micro-tile (mr = W8_MR) than for a tail token (mr = 1), so a comment's
     * vector depended on its place in the batch (cosine 0.9989 to itself alone, AVX2 build) */
    for (int i = 0; i < mr; i++) {
        float *y = Y + (size_t)(t0 + i) * W->nout + o0;
        __m256 sa = _mm256_set1_ps(ascale[t0 + i]);
        for (int n = 0; n < W8_PANEL / 8; n++) {
            __m256i off = W8_UNSIGNED_ACTS
                ? _mm256_slli_epi32(_mm256_loadu_si256((const __m256i *)(W->wsum + o0 + 8 * n)), 7)
                : _mm256_setzero_si256();
            __m256 s = _mm256_cvtepi32_ps(
                _mm256_sub_epi32(_mm256_loadu_si256((const __m256i *)(acc[i] + 8 * n)), off));
            __m256 m = _mm256_mul_ps(sa, _mm256_loadu_ps(W->scale + o0 + 8 * n));
            _mm256_storeu_ps(y + 8 * n, bias ? _mm256_fmadd_ps(s, m, _mm256_loadu_ps(bias + o0 + 8 * n))
                                             : _mm256_mul_ps(s, m));
        }
    }
#else
    for (int i = 0; i < mr; i++) {
        float *y = Y + (size_t)(t0 + i) * W->nout + o0;
        float sa = ascale[t0 + i];
        for (int r = 0; r < W8_PANEL; r++) {
            int32_t s = acc[i][r] - (W8_UNSIGNED_ACTS ? 128 * W->wsum[o0 + r] : 0);
            y[r] = (float)s * (sa * W->scale[o0 + r]) + (bias ? bias[o0 + r] : 0.f);
        }
    }
#endif
}

#ifdef W8_AMX
/* acc[0..31][0..63] for 32 tokens from `a` (rows past the chunk are computed and dropped; the
 * activation buffer has E5_SLACK_ROWS rows of slack) against one panel: 2 x 2 tiles of sums,
 * two A tiles and two B tiles per 64 k. */
static inline __attribute__((always_inline)) void
w8_amx_tile(const uint8_t *RESTRICT a, int nin, const int8_t *RESTRICT wp,
            int32_t acc[W8_AMX_TOKENS][W8_PANEL]) {
    for (int half = 0; half < 2; half++) {
        _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3);
        for (int k = 0; k < nin; k += 64) {
            const int8_t *w = wp + ((size_t)(k / 4) * W8_PANEL + half * 32) * 4;
            _tile_loadd(4, a + k, nin);
            _tile_loadd(5, a + (size_t)16 * nin + k, nin);
            _tile_loadd(6, w, W8_PANEL * 4);
            _tile_loadd(7, w + 64, W8_PANEL * 4);
            _tile_dpbusd(0, 4, 6); _tile_dpbusd(1, 4, 7);
            _tile_dpbusd(2, 5, 6); _tile_dpbusd(3, 5, 7);
        }
        _tile_stored(0, &acc[0][half * 32], W8_PANEL * 4);
        _tile_stored(1, &acc[0][half * 32 + 16], W8_PANEL * 4);
        _tile_stored(2, &acc[16][half * 32], W8_PANEL * 4);
        _tile_stored(3, &acc[16][half * 32 + 16], W8_PANEL * 4);
    }
}

static void w8_amx_matmul(const w8_matrix *W, const float *bias, const uint8_t *aq,
                          const float *ascale, float *Y, int L) {
    int np = W->nout / W8_PANEL, nc = (L + W8_TCHUNK - 1) / W8_TCHUNK, nin = W->nin;
#pragma omp parallel if (!omp_in_parallel())
    {
        w8_amx_configure();
        int32_t acc[W8_AMX_TOKENS][W8_PANEL] __attribute__((aligned(64)));
#pragma omp for collapse(2) schedule(static)
        for (int ch = 0; ch < nc; ch++)     /* a chunk's activations stay in cache for */
            for (int p = 0; p < np; p++) {  /* every panel (the weights fit in L2) */
                const int8_t *wp = W->w + (size_t)p * W8_PANEL * nin;
                int t_end = (ch + 1) * W8_TCHUNK < L ? (ch + 1) * W8_TCHUNK : L;
                for (int t = ch * W8_TCHUNK; t < t_end; t += W8_AMX_TOKENS) {
                    w8_amx_tile(aq + (size_t)t * nin, nin, wp, acc);
                    int mr = t_end - t < W8_AMX_TOKENS ? t_end - t : W8_AMX_TOKENS;
                    w8_store(W, bias, ascale, t, p * W8_PANEL, mr,
                             (const int32_t (*)[W8_PANEL])acc, Y);
                }
            }
        _tile_release();
    }
}
#endif

/* Y[L, nout] = dequant(Aq) * W^T + bias, work split over (token chunk, panel). */
static void w8_matmul(const w8_matrix *W, const float *bias, const uint8_t *aq,
                      const float *ascale, float *Y, int L) {
#ifdef W8_AMX
    if (w8_amx > 0) { w8_amx_matmul(W, bias, aq, ascale, Y, L); return; }
#endif
    int np = W->nout / W8_PANEL, nc = (L + W8_TCHUNK - 1) / W8_TCHUNK, nin = W->nin;
#pragma omp parallel for collapse(2) schedule(static) if (!omp_in_parallel())
    for (int ch = 0; ch < nc; ch++)
        for (int p = 0; p < np; p++) {
            const int8_t *wp = W->w + (size_t)p * W8_PANEL * nin;
            int32_t acc[W8_MR][W8_PANEL] __attribute__((aligned(64)));
            int t_end = (ch + 1) * W8_TCHUNK < L ? (ch + 1) * W8_TCHUNK : L, t = ch * W8_TCHUNK;
            for (; t + W8_MR <= t_end; t += W8_MR) {
                w8_tile(aq + (size_t)t * nin, nin, wp, W8_MR, acc);
                w8_store(W, bias, ascale, t, p * W8_PANEL, W8_MR, (const int32_t (*)[W8_PANEL])acc, Y);
            }
            for (; t < t_end; t++) {
                w8_tile(aq + (size_t)t * nin, nin, wp, 1, acc);
                w8_store(W, bias, ascale, t, p * W8_PANEL, 1, (const int32_t (*)[W8_PANEL])acc, Y);
            }
        }
}

/* The packed copy of a 4-bit matrix (the model keeps one per weight matrix), or NULL. */
static const w8_matrix *w8_find(const w8_matrix *list, int n, const block_q4_0 *src) {
    for (int i = 0; i < n; i++)
        if (list[i].src == src) return &list[i];
    return NULL;
}

/* The kernel's instruction peak on all threads, in int8 ops/s (a multiply-add counts 2, as a
 * float FMA does), measured for `seconds` on registers only; 0 for the plain C kernel. For
 * scripts/bench_embed.py: the share of its own peak each path reaches. */
double e5_int8_peak(double seconds) {
#if defined(__AVX2__)
    double total = 0.;
#pragma omp parallel reduction(+ : total)
    {
        double t0 = omp_get_wtime(), elapsed = 0.;
        long steps = 0;
#if defined(__AVX512VNNI__) && defined(__AVX512F__)
        __m512i c[24], a = _mm512_set1_epi32(0x01020304), b = _mm512_set1_epi32(0x01FF0102);
        for (int i = 0; i < 24; i++) c[i] = _mm512_set1_epi32(i);
        const double per_step = 24. * 64 * 2;
        while (elapsed < seconds) {
            for (int r = 0; r < 4096; r++)
                for (int i = 0; i < 24; i++) c[i] = _mm512_dpbusd_epi32(c[i], a, b);
            steps += 4096; elapsed = omp_get_wtime() - t0;
        }
        for (int i = 1; i < 24; i++) c[0] = _mm512_add_epi32(c[0], c[i]);
        volatile int sink = _mm512_reduce_add_epi32(c[0]); (void)sink;
#else
        __m256i c[8], a = _mm256_set1_epi32(0x01020304), b = _mm256_set1_epi32(0x01FF0102);
        for (int i = 0; i < 8; i++) c[i] = _mm256_set1_epi32(i);
        const double per_step = 8. * 32 * 2;
#if !defined(__AVXVNNI__)
        const __m256i ones = _mm256_set1_epi16(1);
#endif
        while (elapsed < seconds) {
            for (int r = 0; r < 4096; r++)
                for (int i = 0; i < 8; i++) {
#if defined(__AVXVNNI__)
                    c[i] = _mm256_dpbusd_avx_epi32(c[i], a, b);
#else
                    __m256i p = _mm256_maddubs_epi16(b, _mm256_sign_epi8(a, b));
                    c[i] = _mm256_add_epi32(c[i], _mm256_madd_epi16(p, ones));
#endif
                }
            steps += 4096; elapsed = omp_get_wtime() - t0;
        }
        for (int i = 1; i < 8; i++) c[0] = _mm256_add_epi32(c[0], c[i]);
        volatile int sink = _mm256_extract_epi32(c[0], 0); (void)sink;
#endif
        total += steps * per_step / elapsed;
    }
    return total;
#else
    (void)seconds;
    return 0.;
#endif
}

/* AMX's tdpbusd peak on all threads, in int8 ops/s as above (16 x 16 x 64 multiply-adds a
 * tile instruction), on tiles only: six independent sum tiles, so the loop runs at the unit's
 * throughput rather than its latency; 0 where AMX is not built or not permitted. */
double e5_int8_amx_peak(double seconds) {
#ifdef W8_AMX
    if (!w8_amx_permitted()) return 0.;
    double total = 0.;
#pragma omp parallel reduction(+ : total)
    {
        static const uint8_t a[16][64] __attribute__((aligned(64))) = {{1, 2, 3, 4}};
        static const int8_t b[16][64] __attribute__((aligned(64))) = {{1, -1, 1, 2}};
        int32_t c[16][16] __attribute__((aligned(64)));
        w8_amx_configure();
        _tile_loadd(6, a, 64);
        _tile_loadd(7, b, 64);
        _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3); _tile_zero(4); _tile_zero(5);
        double t0 = omp_get_wtime(), elapsed = 0.;
        long steps = 0;
        while (elapsed < seconds) {
            for (int r = 0; r < 1024; r++) {
                _tile_dpbusd(0, 6, 7); _tile_dpbusd(1, 6, 7); _tile_dpbusd(2, 6, 7);
                _tile_dpbusd(3, 6, 7); _tile_dpbusd(4, 6, 7); _tile_dpbusd(5, 6, 7);
            }
            steps += 1024; elapsed = omp_get_wtime() - t0;
        }
        _tile_stored(0, c, 64);
        volatile int32_t sink = c[0][0]; (void)sink;
        _tile_release();
        total += steps * 6. * 16 * 16 * 64 * 2 / elapsed;
    }
    return total;
#else
    (void)seconds;
    return 0.;
#endif
}
