/* A typical file-handling CLI program: lists a directory, reads its files, writes, appends,
 * renames, makes and removes directories, and reports the errors it meets. Its output is
 * compared with Node's node:wasi running the same binary on a copy of the same tree
 * (compare_node.sh). Usage: listdir <dir> */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void list(const char* dir, int depth) {
  DIR* d = opendir(dir);
  if (!d) {
    printf("opendir %s: %s\n", dir, strerror(errno));
    return;
  }
  char* names[256];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) && n < 256) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], cmp);
  for (int i = 0; i < n; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    struct stat st;
    if (lstat(path, &st) != 0) {
      printf("%*s%s: lstat: %s\n", depth * 2, "", names[i], strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
      printf("%*s%s/\n", depth * 2, "", names[i]);
      list(path, depth + 1);
    } else if (S_ISREG(st.st_mode)) {
      printf("%*s%s %lld bytes\n", depth * 2, "", names[i], (long long)st.st_size);
    } else {
      printf("%*s%s (other)\n", depth * 2, "", names[i]);
    }
    free(names[i]);
  }
}

static void cat(const char* path) {
  FILE* f = fopen(path, "r");
  if (!f) {
    printf("cat %s: %s\n", path, strerror(errno));
    return;
  }
  char buf[256];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  printf("cat %s: [%s]\n", path, buf);
  fclose(f);
}

static void report(const char* what, int result) {
  if (result == 0) printf("%s: ok\n", what);
  else printf("%s: %s\n", what, strerror(errno));
}

int main(int argc, char** argv) {
  const char* root = argc > 1 ? argv[1] : ".";
  char p[512], q[512];
  printf("== before\n");
  list(root, 0);
  snprintf(p, sizeof p, "%s/a.txt", root);
  cat(p);
  snprintf(p, sizeof p, "%s/docs/b.txt", root);
  cat(p);

  printf("== write\n");
  snprintf(p, sizeof p, "%s/new.txt", root);
  FILE* f = fopen(p, "w");
  if (f) {
    fprintf(f, "created\n");
    fclose(f);
  }
  f = fopen(p, "a");
  if (f) {
    fprintf(f, "appended\n");
    fclose(f);
  }
  cat(p);
  int fd = open(p, O_RDWR);
  if (fd >= 0) {
    printf("seek end: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    printf("seek 3: %lld\n", (long long)lseek(fd, 3, SEEK_SET));
    char buf[5] = {0};
    printf("read: %zd [%s]\n", read(fd, buf, 4), buf);
    report("ftruncate 7", ftruncate(fd, 7));
    close(fd);
  }
  cat(p);

  printf("== rename\n");
  snprintf(p, sizeof p, "%s/a.txt", root);
  snprintf(q, sizeof q, "%s/renamed.txt", root);
  report("rename a.txt renamed.txt", rename(p, q));
  snprintf(p, sizeof p, "%s/renamed.txt", root);
  snprintf(q, sizeof q, "%s/docs/moved.txt", root);
  report("rename renamed.txt docs/moved.txt", rename(p, q));
  snprintf(p, sizeof p, "%s/missing.txt", root);
  snprintf(q, sizeof q, "%s/x.txt", root);
  report("rename missing.txt x.txt", rename(p, q));

  printf("== directories\n");
  snprintf(p, sizeof p, "%s/made", root);
  report("mkdir made", mkdir(p, 0777));
  report("mkdir made again", mkdir(p, 0777));
  snprintf(q, sizeof q, "%s/made/inner.txt", root);
  f = fopen(q, "w");
  if (f) {
    fputs("inner\n", f);
    fclose(f);
  }
  report("rmdir made (not empty)", rmdir(p));
  report("unlink made (a directory)", unlink(p));
  report("unlink made/inner.txt", unlink(q));
  report("rmdir made", rmdir(p));

  printf("== errors\n");
  snprintf(p, sizeof p, "%s/missing.txt", root);
  cat(p);
  snprintf(p, sizeof p, "%s/docs", root);
  report("unlink docs", unlink(p));
  snprintf(p, sizeof p, "%s/new.txt/x", root);
  cat(p);

  printf("== after\n");
  list(root, 0);
  return 0;
}
