/* Hash table, random access: open addressing with linear probing over string keys (FNV-1a),
 * insert, look up, delete and re-insert; the counts and stored values are checked. */
#include <string.h>
#include "suite.h"

enum { KEYS = 300000, CAP = 1 << 20, KEYLEN = 16 };

typedef struct { char key[KEYLEN]; uint32_t value; uint8_t state; } Slot;  /* 0 free, 1 used, 2 deleted */

static uint32_t fnv(const char *s) {
  uint32_t h = 2166136261u;
  while (*s) { h ^= (uint8_t)*s++; h *= 16777619u; }
  return h;
}

static void make_key(char *k, uint32_t i) { snprintf(k, KEYLEN, "key-%u-%x", i, i * 2654435761u); }

static Slot *find(Slot *t, const char *k, int for_insert) {
  uint32_t i = fnv(k) & (CAP - 1);
  Slot *tomb = NULL;
  for (;;) {
    Slot *s = &t[i];
    if (s->state == 0) return for_insert && tomb ? tomb : (for_insert ? s : NULL);
    if (s->state == 2) { if (!tomb) tomb = s; }
    else if (strcmp(s->key, k) == 0) return s;
    i = (i + 1) & (CAP - 1);
  }
}

int main(void) {
  Slot *t = suite_alloc(CAP * sizeof *t);
  memset(t, 0, CAP * sizeof *t);
  char k[KEYLEN];
  for (uint32_t i = 0; i < KEYS; i++) {
    make_key(k, i);
    Slot *s = find(t, k, 1);
    suite_check(s->state != 1, "hashtab", "duplicate key");
    memcpy(s->key, k, KEYLEN); s->value = i * 3; s->state = 1;
  }
  long hits = 0, misses = 0;
  for (uint32_t r = 0; r < 2 * KEYS; r++) {
    uint32_t i = (uint32_t)(suite_rand() % (2 * KEYS));
    make_key(k, i);
    Slot *s = find(t, k, 0);
    if (s) { suite_check(i < KEYS && s->value == i * 3, "hashtab", "wrong value"); hits++; }
    else { suite_check(i >= KEYS, "hashtab", "key lost"); misses++; }
  }
  for (uint32_t i = 0; i < KEYS; i += 2) { make_key(k, i); find(t, k, 0)->state = 2; }
  for (uint32_t i = KEYS; i < KEYS + KEYS / 2; i++) {
    make_key(k, i);
    Slot *s = find(t, k, 1);
    memcpy(s->key, k, KEYLEN); s->value = i * 3; s->state = 1;
  }
  long live = 0;
  for (uint32_t i = 0; i < KEYS + KEYS / 2; i++) {
    make_key(k, i);
    Slot *s = find(t, k, 0);
    int expect = i >= KEYS || i % 2 == 1;
    suite_check((s != NULL) == expect && (!s || s->value == i * 3), "hashtab", "after deletes");
    live += s != NULL;
  }
  suite_check(live == KEYS, "hashtab", "live count");
  printf("hashtab: %ld hits, %ld misses, %ld live\n", hits, misses, live);
  free(t);
  return 0;
}
