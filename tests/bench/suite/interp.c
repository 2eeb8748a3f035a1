/* A small bytecode interpreter (a stack machine dispatched by switch) running a program that
 * sums the primes below a bound by trial division; the result must equal the same computation
 * written in C. */
#include "suite.h"

enum Op { PUSH, LOAD, STORE, ADD, MUL, MOD, LT, JMP, JZ, JNZ, DUP, HALT };
typedef struct { uint8_t op; int32_t arg; } Ins;

static int64_t run(const Ins *code, int64_t *vars) {
  int64_t stack[16];
  int sp = 0;
  for (const Ins *pc = code;; pc++) {
    switch (pc->op) {
    case PUSH: stack[sp++] = pc->arg; break;
    case LOAD: stack[sp++] = vars[pc->arg]; break;
    case STORE: vars[pc->arg] = stack[--sp]; break;
    case ADD: sp--; stack[sp - 1] += stack[sp]; break;
    case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
    case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
    case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
    case JMP: pc = code + pc->arg - 1; break;
    case JZ: if (!stack[--sp]) pc = code + pc->arg - 1; break;
    case JNZ: if (stack[--sp]) pc = code + pc->arg - 1; break;
    case DUP: stack[sp] = stack[sp - 1]; sp++; break;
    case HALT: return stack[sp - 1];
    default: suite_check(0, "interp", "bad opcode");
    }
  }
}

/* An assembler with forward labels: jumps name a label; fix-ups resolve them at the end. */
enum { MAXCODE = 64, OUTER, INNER, NOTDIV, ENDINNER, NEXT, DONE, LABELS };
static Ins code[MAXCODE];
static int ncode, label_at[LABELS];
static void emit(enum Op op, int arg) { code[ncode++] = (Ins){op, arg}; }
static void mark(int label) { label_at[label] = ncode; }

enum { N, BOUND, D, SUM, PRIME };  /* variables */

static void assemble(void) {
  emit(PUSH, 2); emit(STORE, N); emit(PUSH, 0); emit(STORE, SUM);
  mark(OUTER);
  emit(LOAD, N); emit(LOAD, BOUND); emit(LT, 0); emit(JZ, DONE);
  emit(PUSH, 2); emit(STORE, D); emit(PUSH, 1); emit(STORE, PRIME);
  mark(INNER);
  emit(LOAD, N); emit(LOAD, D); emit(DUP, 0); emit(MUL, 0); emit(LT, 0); emit(JNZ, ENDINNER);
  emit(LOAD, N); emit(LOAD, D); emit(MOD, 0); emit(JNZ, NOTDIV);
  emit(PUSH, 0); emit(STORE, PRIME); emit(JMP, ENDINNER);
  mark(NOTDIV);
  emit(LOAD, D); emit(PUSH, 1); emit(ADD, 0); emit(STORE, D); emit(JMP, INNER);
  mark(ENDINNER);
  emit(LOAD, PRIME); emit(JZ, NEXT); emit(LOAD, SUM); emit(LOAD, N); emit(ADD, 0); emit(STORE, SUM);
  mark(NEXT);
  emit(LOAD, N); emit(PUSH, 1); emit(ADD, 0); emit(STORE, N); emit(JMP, OUTER);
  mark(DONE);
  emit(LOAD, SUM); emit(HALT, 0);
  for (int i = 0; i < ncode; i++)
    if (code[i].op == JMP || code[i].op == JZ || code[i].op == JNZ) code[i].arg = label_at[code[i].arg];
}

static int64_t primes_in_c(int64_t bound) {
  int64_t sum = 0;
  for (int64_t n = 2; n < bound; n++) {
    int prime = 1;
    for (int64_t d = 2; d * d <= n; d++)
      if (n % d == 0) { prime = 0; break; }
    if (prime) sum += n;
  }
  return sum;
}

int main(void) {
  assemble();
  int64_t vars[5] = {0, 1000, 0, 0, 0};
  suite_check(run(code, vars) == 76127, "interp", "sum of primes below 1000");
  vars[BOUND] = 300000;
  int64_t got = run(code, vars);
  suite_check(got == primes_in_c(300000), "interp", "differs from C");
  printf("interp: sum of primes below %lld = %lld\n", (long long)vars[BOUND], (long long)got);
  return 0;
}
