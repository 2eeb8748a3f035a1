/* stdio, args, environ and exit codes: echoes its arguments and environment, copies stdin to
 * stdout, writes to stderr, and exits with the status given as its first argument. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char** environ;

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  const char* greeting = getenv("GREETING");
  printf("GREETING=%s\n", greeting ? greeting : "(unset)");
  int n = 0;
  for (char** e = environ; *e; e++) n++;
  printf("environ=%d\n", n);
  char buf[256];
  size_t got, total = 0;
  printf("stdin:");
  while ((got = fread(buf, 1, sizeof buf, stdin)) > 0) {
    fwrite(buf, 1, got, stdout);
    total += got;
  }
  printf("\nstdin bytes=%zu\n", total);
  fprintf(stderr, "to stderr\n");
  fflush(stdout);
  return argc > 1 ? atoi(argv[1]) : 0;
}
