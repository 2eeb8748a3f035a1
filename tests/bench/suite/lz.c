/* Compression: an LZ77 compressor with hash chains (tokens of literal runs and matches) and its
 * decompressor, over 8 MiB of generated text; the round trip must give the input back and the
 * text, built from a small vocabulary, must compress well. */
#include <string.h>
#include "suite.h"

enum { SIZE = 8 << 20, WINDOW = 1 << 16, HBITS = 15, MINMATCH = 4, MAXMATCH = 255 + MINMATCH, CHAIN = 16 };

static uint32_t hash4(const uint8_t *p) {
  uint32_t v; memcpy(&v, p, 4);
  return (v * 2654435761u) >> (32 - HBITS);
}

/* Format: a control byte L (literal count, 0..127) then L bytes, or 0x80|x with offset (2 bytes)
 * and length-MINMATCH (1 byte). */
static size_t compress(const uint8_t *in, size_t n, uint8_t *out, int32_t *head, int32_t *prev) {
  for (int i = 0; i < 1 << HBITS; i++) head[i] = -1;
  size_t o = 0, lit_start = 0, i = 0;
  while (i + MINMATCH <= n) {
    uint32_t h = hash4(in + i);
    size_t best = 0, best_off = 0;
    int chain = CHAIN;
    for (int32_t c = head[h]; c >= 0 && i - c < WINDOW && chain--; c = prev[c & (WINDOW - 1)]) {
      size_t len = 0, max = n - i < MAXMATCH ? n - i : MAXMATCH;
      while (len < max && in[c + len] == in[i + len]) len++;
      if (len > best) { best = len; best_off = i - c; }
    }
    prev[i & (WINDOW - 1)] = head[h];
    head[h] = (int32_t)i;
    if (best >= MINMATCH) {
      while (lit_start < i) {
        size_t l = i - lit_start < 127 ? i - lit_start : 127;
        out[o++] = (uint8_t)l; memcpy(out + o, in + lit_start, l); o += l; lit_start += l;
      }
      out[o++] = 0x80; out[o++] = (uint8_t)(best_off >> 8); out[o++] = (uint8_t)best_off;
      out[o++] = (uint8_t)(best - MINMATCH);
      for (size_t k = 1; k < best && i + k + MINMATCH <= n; k++) {
        uint32_t hk = hash4(in + i + k);
        prev[(i + k) & (WINDOW - 1)] = head[hk];
        head[hk] = (int32_t)(i + k);
      }
      i += best; lit_start = i;
    } else {
      i++;
    }
  }
  while (lit_start < n) {
    size_t l = n - lit_start < 127 ? n - lit_start : 127;
    out[o++] = (uint8_t)l; memcpy(out + o, in + lit_start, l); o += l; lit_start += l;
  }
  return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    uint8_t c = in[i++];
    if (c & 0x80) {
      size_t off = (size_t)in[i] << 8 | in[i + 1], len = in[i + 2] + MINMATCH;
      i += 3;
      for (size_t k = 0; k < len; k++, o++) out[o] = out[o - off];  /* overlapping copies */
    } else {
      memcpy(out + o, in + i, c); o += c; i += c;
    }
  }
  return o;
}

int main(void) {
  static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ",
                                "wasm ", "module ", "runtime ", "compiles ", "memory ", "table ", "of ", "a "};
  uint8_t *text = suite_alloc(SIZE), *packed = suite_alloc(SIZE + SIZE / 64 + 16), *back = suite_alloc(SIZE);
  int32_t *head = suite_alloc(sizeof(int32_t) << HBITS), *prev = suite_alloc(sizeof(int32_t) * WINDOW);
  size_t n = 0;
  while (n < SIZE) {
    uint64_t r = suite_rand();
    const char *w = words[r % 16];
    size_t l = strlen(w);
    if (n + l > SIZE) l = SIZE - n;
    memcpy(text + n, w, l); n += l;
    if (r >> 60 == 0 && n < SIZE) text[n++] = (uint8_t)('0' + (r >> 8) % 10);  /* some noise */
  }
  size_t packed_size = compress(text, SIZE, packed, head, prev);
  size_t back_size = decompress(packed, packed_size, back);
  suite_check(back_size == SIZE && memcmp(text, back, SIZE) == 0, "lz", "round trip");
  suite_check(packed_size < SIZE / 2, "lz", "ratio");
  printf("lz: %d -> %zu bytes\n", SIZE, packed_size);
  free(text); free(packed); free(back); free(head); free(prev);
  return 0;
}
