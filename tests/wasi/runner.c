/* Runs the WASI guest programs through liborca's public C API (wasm.h, orca.h, wasi.h) and
 * checks what they did: their captured output, exit statuses, the files they left behind.
 *
 *   wasi_runner [--bounds-checks] <wasm-dir> <case>...
 *                                        runs test cases, ends with "N passed, N failed"; with
 *                                        --bounds-checks in an engine that checks every memory
 *                                        access instead of relying on guard pages
 *   wasi_runner run <file.wasm> [--dir host::guest]... [--env N=V]... [-- args...]
 *                                        runs one program with inherited stdio, like `orca run`
 *                                        (the node:wasi comparison uses this) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "orca.h"
#include "wasi.h"

static int passed, failed;
/* The store of the guest run in progress (for the interrupting thread of case_interrupt and the
 * mover of case_moved); atomic because those threads read it while the guest runs. */
static _Atomic(wasm_store_t*) current_store;

/* Waits until the guest has started (compiling it may take a minute in a sanitizer build on a
 * loaded machine: a shorter bound made the other thread act before the guest ran). */
static void wait_for_guest(void) {
  for (int i = 0; i < 30000 && !current_store; i++) usleep(10000);
}
static const char* wasm_dir = ".";
static wasm_engine_t* engine;

#define CHECK(cond)                                                                \
  do {                                                                             \
    if (cond) {                                                                    \
      ++passed;                                                                    \
    } else {                                                                       \
      ++failed;                                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);     \
    }                                                                              \
  } while (0)

/* The result of one guest run. The store stays alive (and with it the env) until run_free. */
typedef struct {
  wasm_store_t* store;
  orca_linker_t* linker;
  wasi_env_t* env;
  int define_kind;  /* -1: defined; else the orca_error_kind of orca_linker_define_wasi */
  bool exited;      /* proc_exit (or a return from main, which wasi-libc turns into proc_exit) */
  int status;
  bool trapped;     /* a trap that is not an exit */
  char message[512];
  char* out;        /* captured stdout / stderr, NUL-terminated */
  size_t out_len;
  char* err;
} run_t;

static bool read_file(const char* path, wasm_byte_vec_t* out) {
  FILE* f = fopen(path, "rb");
  if (!f) return false;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_new_uninitialized(out, (size_t)size);
  bool ok = fread(out->data, 1, (size_t)size, f) == (size_t)size;
  fclose(f);
  return ok;
}

static char* take_bytes(wasm_byte_vec_t* v, size_t* len) {
  char* s = malloc(v->size + 1);
  if (v->size) memcpy(s, v->data, v->size);
  s[v->size] = 0;
  if (len) *len = v->size;
  wasm_byte_vec_delete(v);
  return s;
}

static void message_of(orca_error_t* e, char* buf, size_t cap) {
  wasm_message_t m;
  orca_error_message(e, &m);
  snprintf(buf, cap, "%.*s", (int)m.size, m.data);
  wasm_byte_vec_delete(&m);
}

/* Runs `<wasm_dir>/<name>.wasm` (or a path ending in .wasm) with `config` (taken). */
static bool run_guest(const char* name, wasi_config_t* config, run_t* r) {
  memset(r, 0, sizeof *r);
  r->define_kind = -1;
  char path[1024];
  if (strstr(name, ".wasm")) snprintf(path, sizeof path, "%s", name);
  else snprintf(path, sizeof path, "%s/%s.wasm", wasm_dir, name);
  wasm_byte_vec_t bytes;
  if (!read_file(path, &bytes)) {
    fprintf(stderr, "cannot read %s\n", path);
    wasi_config_delete(config);
    return false;
  }
  r->store = wasm_store_new(engine);
  r->linker = orca_linker_new(r->store);
  wasm_module_t* module = NULL;
  orca_error_t* e = orca_module_new(engine, &bytes, &module);
  wasm_byte_vec_delete(&bytes);
  if (e) {
    message_of(e, r->message, sizeof r->message);
    fprintf(stderr, "%s: %s\n", path, r->message);
    orca_error_delete(e);
    wasi_config_delete(config);
    return false;
  }
  e = orca_linker_define_wasi(r->linker, config, &r->env);
  if (e) {
    r->define_kind = orca_error_kind(e);
    message_of(e, r->message, sizeof r->message);
    orca_error_delete(e);
    wasm_module_delete(module);
    return true;
  }
  wasm_instance_t* instance = NULL;
  e = orca_linker_instantiate(r->linker, module, &instance);
  wasm_module_delete(module);
  if (e) {
    message_of(e, r->message, sizeof r->message);
    int status = 0;
    if (orca_error_exit_status(e, &status)) {
      r->exited = true;
      r->status = status;
    } else {
      r->trapped = true;
      fprintf(stderr, "%s: instantiate: %s\n", path, r->message);
    }
    orca_error_delete(e);
  } else {
    wasm_extern_t* start = orca_instance_export(instance, "_start");
    wasm_func_t* f = start ? wasm_extern_as_func(start) : NULL;
    if (f) {
      wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_EMPTY_VEC;
      current_store = r->store;  /* compiled and instantiated: the guest starts now */
      wasm_trap_t* trap = wasm_func_call(f, &args, &results);
      if (trap) {
        int status = 0;
        if (orca_trap_exit_status(trap, &status)) {
          r->exited = true;
          r->status = status;
        } else {
          r->trapped = true;
          wasm_message_t m;
          wasm_trap_message(trap, &m);
          snprintf(r->message, sizeof r->message, "%.*s", (int)m.size, m.data);
          wasm_byte_vec_delete(&m);
        }
        wasm_trap_delete(trap);
      } else {
        r->exited = true;  /* returned from _start: status 0 */
      }
    } else {
      snprintf(r->message, sizeof r->message, "no _start export");
      r->trapped = true;
    }
    if (start) wasm_extern_delete(start);
    wasm_instance_delete(instance);
  }
  current_store = NULL;
  wasm_byte_vec_t v;
  wasi_env_stdout(r->env, &v);
  r->out = take_bytes(&v, &r->out_len);
  wasi_env_stderr(r->env, &v);
  r->err = take_bytes(&v, NULL);
  return true;
}

static void run_free(run_t* r) {
  free(r->out);
  free(r->err);
  orca_linker_delete(r->linker);
  wasm_store_delete(r->store);
}

/* A guest that checks itself: ran, exited 0, printed its closing line with no failure. */
static void check_guest_passed(const char* what, run_t* r) {
  bool ok = r->exited && r->status == 0 && r->out && strstr(r->out, " 0 failed\n");
  CHECK(ok);
  if (!ok) {
    fprintf(stderr, "--- %s: exited=%d status=%d trapped=%d %s\n%s--- stderr:\n%s---\n", what, r->exited,
            r->status, r->trapped, r->message, r->out ? r->out : "", r->err ? r->err : "");
  } else {
    const char* line = strstr(r->out, "guest: ");
    if (line) fprintf(stderr, "%s: %.*s", what, (int)(strchr(line, '\n') - line + 1), line);
  }
}

static wasi_config_t* captured_config(void) {
  wasi_config_t* c = wasi_config_new();
  wasi_config_capture_stdout(c);
  wasi_config_capture_stderr(c);
  return c;
}

/* ---- temporary host directories -------------------------------------------------------- */

static char tmp_root[256];

static void make_tmp_root(void) {
  snprintf(tmp_root, sizeof tmp_root, "/tmp/orca-wasi-XXXXXX");
  if (!mkdtemp(tmp_root)) {
    perror("mkdtemp");
    exit(2);
  }
}

static void remove_tree(const char* path) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", path);
}

static void write_text(const char* path, const char* text) {
  FILE* f = fopen(path, "w");
  if (!f) {
    perror(path);
    return;
  }
  fputs(text, f);
  fclose(f);
}

static char* slurp(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  char* buf = calloc(1, 65536);
  size_t n = fread(buf, 1, 65535, f);
  buf[n] = 0;
  fclose(f);
  return buf;
}

/* ---- cases ------------------------------------------------------------------------------ */

/* stdin bytes, argv, environ, stdout/stderr capture, exit statuses. */
static void case_stdio(void) {
  wasi_config_t* c = captured_config();
  const char* argv[] = {"hello", "7", "two words"};
  wasi_config_set_argv(c, 3, argv);
  const char* names[] = {"GREETING", "OTHER"};
  const char* values[] = {"hi there", "x=y"};
  wasi_config_set_env(c, 2, names, values);
  wasm_byte_vec_t in;
  wasm_byte_vec_new(&in, 11, "input bytes");
  wasi_config_set_stdin_bytes(c, &in);
  wasm_byte_vec_delete(&in);
  run_t r;
  CHECK(run_guest("hello", c, &r));
  CHECK(r.exited && r.status == 7);
  CHECK(!r.trapped);
  const char* want =
      "argc=3\nargv[0]=hello\nargv[1]=7\nargv[2]=two words\nGREETING=hi there\nenviron=2\n"
      "stdin:input bytes\nstdin bytes=11\n";
  CHECK(r.out && strcmp(r.out, want) == 0);
  if (r.out && strcmp(r.out, want) != 0) fprintf(stderr, "stdout was:\n%s", r.out);
  CHECK(r.err && strcmp(r.err, "to stderr\n") == 0);
  run_free(&r);

  /* Exit status 0 from a return of main, nothing captured when discarded, empty stdin. */
  c = wasi_config_new();
  const char* argv0[] = {"hello"};
  wasi_config_set_argv(c, 1, argv0);
  CHECK(run_guest("hello", c, &r));
  CHECK(r.exited && r.status == 0);
  CHECK(r.out_len == 0);
  run_free(&r);

  /* A status above 255 reaches the host as given (proc_exit takes a u32). */
  c = captured_config();
  const char* argv1[] = {"hello", "300"};
  wasi_config_set_argv(c, 2, argv1);
  CHECK(run_guest("hello", c, &r));
  CHECK(r.exited && r.status == 300);
  run_free(&r);

  /* stdin and stdout as host files. */
  char in_path[512], out_path[512];
  snprintf(in_path, sizeof in_path, "%s/stdin.txt", tmp_root);
  snprintf(out_path, sizeof out_path, "%s/stdout.txt", tmp_root);
  write_text(in_path, "from a file");
  c = wasi_config_new();
  wasi_config_set_argv(c, 1, argv0);
  wasi_config_set_stdin_file(c, in_path);
  wasi_config_set_stdout_file(c, out_path);
  CHECK(run_guest("hello", c, &r));
  CHECK(r.exited && r.status == 0);
  run_free(&r);
  char* text = slurp(out_path);
  CHECK(text && strstr(text, "stdin:from a file\nstdin bytes=11\n"));
  free(text);

  /* The host's environment, stderr into a file, and stderr inherited from the host. */
  extern char** environ;
  int host_env = 0;
  for (char** e = environ; *e; e++) host_env += strchr(*e, '=') != NULL;
  char err_path[512], expect_env[64];
  snprintf(err_path, sizeof err_path, "%s/stderr.txt", tmp_root);
  c = captured_config();
  wasi_config_set_argv(c, 1, argv0);
  wasi_config_inherit_env(c);
  wasi_config_set_stderr_file(c, err_path);
  CHECK(run_guest("hello", c, &r));
  snprintf(expect_env, sizeof expect_env, "environ=%d\n", host_env);
  CHECK(r.out && strstr(r.out, expect_env));
  CHECK(r.err && r.err[0] == 0);  /* not captured: it went to the file */
  run_free(&r);
  text = slurp(err_path);
  CHECK(text && strcmp(text, "to stderr\n") == 0);
  free(text);
  fflush(stderr);
  int saved_err = dup(2);
  int errfile = open(err_path, O_WRONLY | O_TRUNC);
  CHECK(saved_err >= 0 && errfile >= 0);
  dup2(errfile, 2);
  close(errfile);
  c = captured_config();
  wasi_config_set_argv(c, 1, argv0);
  wasi_config_inherit_stderr(c);
  bool ran_inherit = run_guest("hello", c, &r);
  fflush(stderr);
  dup2(saved_err, 2);
  close(saved_err);
  CHECK(ran_inherit && r.exited && r.status == 0);
  run_free(&r);
  text = slurp(err_path);
  CHECK(text && strcmp(text, "to stderr\n") == 0);
  free(text);

  /* stdout inherited from a host whose stdout is a pipe nobody reads any more: the guest's
   * writes fail with EPIPE, the host lives on (no SIGPIPE), the guest ends with its status. */
  fflush(stdout);
  int saved = dup(1), pipefd[2];
  CHECK(saved >= 0 && pipe(pipefd) == 0);
  close(pipefd[0]);
  dup2(pipefd[1], 1);
  close(pipefd[1]);
  c = wasi_config_new();
  const char* argv5[] = {"hello", "5"};
  wasi_config_set_argv(c, 2, argv5);
  wasi_config_inherit_stdout(c);
  wasi_config_capture_stderr(c);
  bool ran = run_guest("hello", c, &r);
  dup2(saved, 1);
  close(saved);
  CHECK(ran);
  CHECK(r.exited && r.status == 5);
  CHECK(r.err && strcmp(r.err, "to stderr\n") == 0);
  run_free(&r);

  /* A preopen that does not exist is an I/O error of orca_linker_define_wasi. */
  c = captured_config();
  wasi_config_preopen_dir(c, "/nonexistent/orca/dir", "/x");
  CHECK(run_guest("hello", c, &r));
  CHECK(r.define_kind == ORCA_ERROR_IO);
  CHECK(strstr(r.message, "/nonexistent/orca/dir") != NULL);
  run_free(&r);
}


/* A fresh host directory <tmp_root>/<name>/sandbox (preopened) beside <name>/outside/secret.txt. */
static void make_tree(const char* name, char* sandbox, size_t cap, char* outside, size_t ocap) {
  char base[512];
  snprintf(base, sizeof base, "%s/%s", tmp_root, name);
  mkdir(base, 0777);
  snprintf(sandbox, cap, "%s/sandbox", base);
  snprintf(outside, ocap, "%s/outside", base);
  mkdir(sandbox, 0777);
  mkdir(outside, 0777);
  char p[700];
  snprintf(p, sizeof p, "%s/secret.txt", outside);
  write_text(p, "SECRET\n");
}

/* Runs guest `name` with host directory `sandbox` preopened as "/sandbox" and checks that it
 * passed its own checks; `label` names the run in the log. */
static void run_in_host_dir(const char* name, const char* sandbox, const char* label) {
  wasi_config_t* c = captured_config();
  wasi_config_preopen_dir(c, sandbox, "/sandbox");
  run_t r;
  CHECK(run_guest(name, c, &r));
  check_guest_passed(label, &r);
  run_free(&r);
}

/* The same with in-memory filesystem `fs` preopened as "/sandbox". */
static void run_in_memfs(const char* name, wasi_memfs_t* fs, const char* label) {
  wasi_config_t* c = captured_config();
  wasi_config_preopen_memfs(c, fs, "/sandbox");
  run_t r;
  CHECK(run_guest(name, c, &r));
  check_guest_passed(label, &r);
  run_free(&r);
}

/* Every fd_* and path_* function on a host directory; the host reads back what the guest left. */
static void case_fs(void) {
  char sandbox[600], outside[600], p[700];
  make_tree("fs", sandbox, sizeof sandbox, outside, sizeof outside);
  run_in_host_dir("fs", sandbox, "fs");
  snprintf(p, sizeof p, "%s/result.txt", sandbox);
  char* text = slurp(p);
  CHECK(text && strcmp(text, "written by the guest\n") == 0);
  free(text);
  snprintf(p, sizeof p, "%s/dir/renamed.txt", sandbox);
  text = slurp(p);
  CHECK(text && strcmp(text, "HELLO!") == 0);
  free(text);
}

/* The same guest against the in-memory filesystem, filled and read back through wasi.h. */
static void case_fs_memfs(void) {
  wasi_memfs_t* fs = wasi_memfs_new();
  wasm_byte_vec_t v;
  wasm_byte_vec_new(&v, 5, "ready");
  orca_error_t* e = wasi_memfs_write_file(fs, "/preexisting/note.txt", &v);
  CHECK(e == NULL);
  wasm_byte_vec_delete(&v);
  run_in_memfs("fs", fs, "fs on memfs");
  e = wasi_memfs_read_file(fs, "result.txt", &v);
  CHECK(e == NULL && v.size == 21 && memcmp(v.data, "written by the guest\n", 21) == 0);
  wasm_byte_vec_delete(&v);
  e = wasi_memfs_read_file(fs, "/dir/renamed.txt", &v);
  CHECK(e == NULL && v.size == 6 && memcmp(v.data, "HELLO!", 6) == 0);
  wasm_byte_vec_delete(&v);
  e = wasi_memfs_list(fs, "/", &v);
  if (v.size) fprintf(stderr, "memfs root: %.*s", (int)v.size, v.data);
  CHECK(e == NULL && v.size == strlen("dir/\npreexisting/\nresult.txt\n") &&
        memcmp(v.data, "dir/\npreexisting/\nresult.txt\n", v.size) == 0);
  wasm_byte_vec_delete(&v);
  e = wasi_memfs_read_file(fs, "dir/a.txt", &v);  /* unlinked by the guest */
  CHECK(e != NULL && orca_error_kind(e) == ORCA_ERROR_IO);
  if (e) orca_error_delete(e);
  wasm_byte_vec_delete(&v);
  e = wasi_memfs_read_file(fs, "dir", &v);
  CHECK(e != NULL);
  if (e) orca_error_delete(e);
  wasm_byte_vec_delete(&v);
  wasi_memfs_delete(fs);
}

static void symlink_at(const char* dir, const char* target, const char* name) {
  char p[800];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  if (symlink(target, p) != 0) perror(p);
}

/* Every escape attempt; run once with openat2 and once with ORCA_WASI_FORCE_WALK=1 (ctest). */
static void case_escape(void) {
  char sandbox[600], outside[600], p[800];
  make_tree("escape", sandbox, sizeof sandbox, outside, sizeof outside);
  snprintf(p, sizeof p, "%s/file.txt", sandbox);
  write_text(p, "inside\n");
  snprintf(p, sizeof p, "%s/sub", sandbox);
  mkdir(p, 0777);
  symlink_at(sandbox, "../file.txt", "sub/back");
  symlink_at(sandbox, "sub", "inner");
  symlink_at(sandbox, "/etc", "abs");
  symlink_at(sandbox, "/etc/passwd", "abs_file");
  symlink_at(sandbox, "..", "up");
  symlink_at(sandbox, "../outside/secret.txt", "up_secret");
  symlink_at(sandbox, "../../outside", "sub/deep");
  symlink_at(sandbox, "loop_b", "loop_a");
  symlink_at(sandbox, "loop_a", "loop_b");
  symlink_at(sandbox, "self", "self");
  run_in_host_dir("escape", sandbox, getenv("ORCA_WASI_FORCE_WALK") ? "escape (component walk)" : "escape (openat2)");
  /* Nothing outside changed: the secret is intact and alone. */
  snprintf(p, sizeof p, "%s/secret.txt", outside);
  char* text = slurp(p);
  CHECK(text && strcmp(text, "SECRET\n") == 0);
  free(text);
  char cmd[1400]; /* the command names `outside` twice: room for both, so it is never cut short */
  snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s')\" = secret.txt && test \"$(ls -A '%s/..')\" = \"$(printf 'outside\\nsandbox')\"",
           outside, outside);
  CHECK(system(cmd) == 0);
}

/* The escape attempts against the in-memory filesystem (same links, nothing above its root). */
static void case_escape_memfs(void) {
  wasi_memfs_t* fs = wasi_memfs_new();
  wasm_byte_vec_t v;
  wasm_byte_vec_new(&v, 7, "inside\n");
  CHECK(wasi_memfs_write_file(fs, "file.txt", &v) == NULL);
  wasm_byte_vec_delete(&v);
  CHECK(wasi_memfs_mkdir(fs, "sub") == NULL);
  CHECK(wasi_memfs_symlink(fs, "../file.txt", "sub/back") == NULL);
  CHECK(wasi_memfs_symlink(fs, "sub", "inner") == NULL);
  CHECK(wasi_memfs_symlink(fs, "/etc", "abs") == NULL);
  CHECK(wasi_memfs_symlink(fs, "/etc/passwd", "abs_file") == NULL);
  CHECK(wasi_memfs_symlink(fs, "..", "up") == NULL);
  CHECK(wasi_memfs_symlink(fs, "../outside/secret.txt", "up_secret") == NULL);
  CHECK(wasi_memfs_symlink(fs, "../../outside", "sub/deep") == NULL);
  CHECK(wasi_memfs_symlink(fs, "loop_b", "loop_a") == NULL);
  CHECK(wasi_memfs_symlink(fs, "loop_a", "loop_b") == NULL);
  CHECK(wasi_memfs_symlink(fs, "self", "self") == NULL);
  run_in_memfs("escape", fs, "escape (memfs)");
  wasi_memfs_delete(fs);
}

/* Clocks, random, sched_yield, sizes, proc_raise, poll_oneoff with clocks and descriptors. */
static void case_misc(void) {
  wasi_config_t* c = captured_config();
  const char* argv[] = {"misc"};
  wasi_config_set_argv(c, 1, argv);
  const char* names[] = {"A"};
  const char* values[] = {"1"};
  wasi_config_set_env(c, 1, names, values);
  wasm_byte_vec_t in;
  wasm_byte_vec_new(&in, 11, "eleven byte");
  wasi_config_set_stdin_bytes(c, &in);
  wasm_byte_vec_delete(&in);
  run_t r;
  CHECK(run_guest("misc", c, &r));
  check_guest_passed("misc", &r);
  run_free(&r);

  /* proc_raise(SIGTERM) ends the guest with a trap that is not an exit. */
  c = captured_config();
  const char* argv2[] = {"misc", "raise"};
  wasi_config_set_argv(c, 2, argv2);
  CHECK(run_guest("misc", c, &r));
  CHECK(r.trapped && !r.exited);
  CHECK(strstr(r.message, "SIGTERM") != NULL);
  CHECK(r.out && strcmp(r.out, "raising\n") == 0);
  run_free(&r);
}

typedef struct {
  int port;
  int ok;
} peer_t;

static void* socket_peer(void* arg) {
  peer_t* p = arg;
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)p->port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(s, (struct sockaddr*)&a, sizeof a) != 0) {
    perror("connect");
    close(s);
    return NULL;
  }
  usleep(150000);
  if (send(s, "ping", 4, 0) != 4) perror("send");
  char buf[8] = {0};
  ssize_t n = recv(s, buf, 4, MSG_WAITALL);
  p->ok = n == 4 && memcmp(buf, "pong", 4) == 0;
  usleep(300000);
  close(s);
  return NULL;
}

/* A listening socket on loopback preopened for the guest; a host thread plays the peer. */
static void case_sockets(void) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  CHECK(bind(listener, (struct sockaddr*)&a, sizeof a) == 0);
  CHECK(listen(listener, 4) == 0);
  CHECK(getsockname(listener, (struct sockaddr*)&a, &len) == 0);
  peer_t peer = {ntohs(a.sin_port), 0};
  wasi_config_t* c = captured_config();
  wasi_config_preopen_socket(c, listener);
  pthread_t thread;
  pthread_create(&thread, NULL, socket_peer, &peer);
  run_t r;
  CHECK(run_guest("sock", c, &r));
  check_guest_passed("sock", &r);
  run_free(&r);
  pthread_join(thread, NULL);
  CHECK(peer.ok);
  /* The host's own descriptor is still open (the guest had a duplicate). */
  CHECK(fcntl(listener, F_GETFD) >= 0);
  close(listener);

  /* A descriptor that is not a socket is refused when the config is used. */
  c = captured_config();
  wasi_config_preopen_socket(c, 0 /* stdin of the runner: not a socket here */);
  struct stat sb;
  if (fstat(0, &sb) == 0 && !S_ISSOCK(sb.st_mode)) {
    CHECK(run_guest("sock", c, &r));
    CHECK(r.define_kind == ORCA_ERROR_IO);
    run_free(&r);
  } else {
    wasi_config_delete(c);
  }
}

/* ---- modules written in the text format, for what C programs cannot do ----------------- */

static wasm_module_t* module_from_wat(wasm_store_t* store, const char* wat) {
  wasm_byte_vec_t text, bin;
  wasm_byte_vec_new(&text, strlen(wat), wat);
  orca_error_t* e = orca_wat2wasm(&text, &bin);
  wasm_byte_vec_delete(&text);
  if (e) {
    char m[256];
    message_of(e, m, sizeof m);
    fprintf(stderr, "wat2wasm: %s\n", m);
    orca_error_delete(e);
    return NULL;
  }
  wasm_module_t* module = wasm_module_new(store, &bin);
  wasm_byte_vec_delete(&bin);
  return module;
}

/* Calls export `name` () -> i32 of `instance`; -1 when it traps. */
static int call_i32(wasm_instance_t* instance, const char* name) {
  wasm_extern_t* ext = orca_instance_export(instance, name);
  if (!ext) return -1;
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = {1, out};
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(ext), &args, &results);
  wasm_extern_delete(ext);
  if (trap) {
    wasm_trap_delete(trap);
    return -1;
  }
  return out[0].of.i32;
}

static const char* const kPreview1[] = {
    "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
    "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
    "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
    "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
    "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
    "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
    "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
    "sock_recv", "sock_send", "sock_shutdown"};

/* Every preview1 name is defined; proc_exit is an exit (not a trap) through the C API; bad
 * pointers and a missing memory are EFAULT, never a crash; wrong import types do not link. */
static void case_abi(void) {
  wasm_store_t* store = wasm_store_new(engine);
  orca_linker_t* linker = orca_linker_new(store);
  wasi_env_t* env = NULL;
  wasi_config_t* c = captured_config();
  CHECK(orca_linker_define_wasi(linker, c, &env) == NULL);
  CHECK(env != NULL);
  size_t n = sizeof kPreview1 / sizeof kPreview1[0];
  CHECK(n == 46);
  for (size_t i = 0; i < n; i++) {
    wasm_extern_t* f = orca_linker_get(linker, "wasi_snapshot_preview1", kPreview1[i]);
    CHECK(f != NULL && wasm_extern_kind(f) == WASM_EXTERN_FUNC);
    if (!f) fprintf(stderr, "missing %s\n", kPreview1[i]);
    if (f) wasm_extern_delete(f);
  }
  /* A second definition in the same linker is refused. */
  orca_error_t* e = orca_linker_define_wasi(linker, captured_config(), NULL);
  CHECK(e && orca_error_kind(e) == ORCA_ERROR_UNLINKABLE);
  if (e) orca_error_delete(e);

  /* proc_exit from a start function: instantiation fails with ORCA_ERROR_EXIT and status 42. */
  wasm_module_t* m = module_from_wat(store,
      "(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))"
      " (func $start (call $exit (i32.const 42))) (start $start))");
  CHECK(m != NULL);
  wasm_instance_t* inst = NULL;
  e = m ? orca_linker_instantiate(linker, m, &inst) : NULL;
  CHECK(e && orca_error_kind(e) == ORCA_ERROR_EXIT);
  int status = -1;
  CHECK(e && orca_error_exit_status(e, &status) && status == 42);
  wasm_trap_t* trap = e ? orca_error_trap(e) : NULL;
  CHECK(trap && orca_trap_code(trap) == ORCA_TRAP_EXIT);
  status = -1;
  CHECK(trap && orca_trap_exit_status(trap, &status) && status == 42);
  if (trap) wasm_trap_delete(trap);
  if (e) orca_error_delete(e);
  if (m) wasm_module_delete(m);

  /* No memory export: every pointer is EFAULT (21). */
  m = module_from_wat(store,
      "(module (import \"wasi_snapshot_preview1\" \"fd_write\" (func $w (param i32 i32 i32 i32) (result i32)))"
      " (import \"wasi_snapshot_preview1\" \"sched_yield\" (func $y (result i32)))"
      " (func (export \"write\") (result i32) (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 0)))"
      " (func (export \"yield\") (result i32) (call $y)))");
  inst = NULL;
  e = m ? orca_linker_instantiate(linker, m, &inst) : NULL;
  CHECK(m && !e && inst);
  if (inst) {
    CHECK(call_i32(inst, "write") == 21);
    CHECK(call_i32(inst, "yield") == 0);
    wasm_instance_delete(inst);
  }
  if (e) orca_error_delete(e);
  if (m) wasm_module_delete(m);

  /* One page of memory: pointers at and across its end, lengths that wrap. */
  m = module_from_wat(store,
      "(module (import \"wasi_snapshot_preview1\" \"fd_write\" (func $w (param i32 i32 i32 i32) (result i32)))"
      " (import \"wasi_snapshot_preview1\" \"args_get\" (func $a (param i32 i32) (result i32)))"
      " (import \"wasi_snapshot_preview1\" \"random_get\" (func $r (param i32 i32) (result i32)))"
      " (import \"wasi_snapshot_preview1\" \"fd_close\" (func $c (param i32) (result i32)))"
      " (memory (export \"memory\") 1)"
      " (data (i32.const 16) \"hi\")"
      " (func (export \"iov_at_end\") (result i32) (call $w (i32.const 1) (i32.const 65532) (i32.const 1) (i32.const 0)))"
      " (func (export \"buf_wraps\") (result i32)"
      "   (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const -1))"
      "   (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))"
      " (func (export \"many_iovs\") (result i32) (call $w (i32.const 1) (i32.const 0) (i32.const 0x20000000) (i32.const 8)))"
      " (func (export \"nwritten_out\") (result i32)"
      "   (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 2))"
      "   (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 65534)))"
      " (func (export \"ok_write\") (result i32)"
      "   (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 2))"
      "   (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))"
      " (func (export \"args_out\") (result i32) (call $a (i32.const -4) (i32.const 0)))"
      " (func (export \"random_out\") (result i32) (call $r (i32.const 65000) (i32.const 1000)))"
      " (func (export \"close_bad\") (result i32) (call $c (i32.const -1))))");
  inst = NULL;
  e = m ? orca_linker_instantiate(linker, m, &inst) : NULL;
  CHECK(m && !e && inst);
  if (inst) {
    CHECK(call_i32(inst, "iov_at_end") == 21);
    CHECK(call_i32(inst, "buf_wraps") == 21);
    CHECK(call_i32(inst, "many_iovs") == 21);
    CHECK(call_i32(inst, "nwritten_out") == 21);
    CHECK(call_i32(inst, "ok_write") == 0);
    CHECK(call_i32(inst, "args_out") == 21);
    CHECK(call_i32(inst, "random_out") == 21);
    CHECK(call_i32(inst, "close_bad") == 8);
    wasm_instance_delete(inst);
  }
  if (e) orca_error_delete(e);
  if (m) wasm_module_delete(m);
  wasm_byte_vec_t out;
  wasi_env_stdout(env, &out);
  CHECK(out.size == 2 && memcmp(out.data, "hi", 2) == 0);  /* only ok_write wrote */
  wasm_byte_vec_delete(&out);

  /* Called by the host, not by an instance: there is no caller memory, so pointers are EFAULT;
   * proc_exit still exits. */
  wasm_extern_t* fw = orca_linker_get(linker, "wasi_snapshot_preview1", "fd_write");
  if (fw) {
    wasm_val_t a[4] = {WASM_I32_VAL(1), WASM_I32_VAL(0), WASM_I32_VAL(1), WASM_I32_VAL(0)};
    wasm_val_t res[1] = {WASM_INIT_VAL};
    wasm_val_vec_t args = {4, a}, results = {1, res};
    wasm_trap_t* t = wasm_func_call(wasm_extern_as_func(fw), &args, &results);
    CHECK(t == NULL && res[0].of.i32 == 21);
    if (t) wasm_trap_delete(t);
    wasm_extern_delete(fw);
  }
  wasm_extern_t* fx = orca_linker_get(linker, "wasi_snapshot_preview1", "proc_exit");
  if (fx) {
    wasm_val_t a[1] = {WASM_I32_VAL(3)};
    wasm_val_vec_t args = {1, a}, results = WASM_EMPTY_VEC;
    wasm_trap_t* t = wasm_func_call(wasm_extern_as_func(fx), &args, &results);
    status = -1;
    CHECK(t && orca_trap_exit_status(t, &status) && status == 3);
    if (t) wasm_trap_delete(t);
    wasm_extern_delete(fx);
  }

  /* An import with the wrong type does not link. */
  m = module_from_wat(store,
      "(module (import \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32) (result i32))))");
  inst = NULL;
  e = m ? orca_linker_instantiate(linker, m, &inst) : NULL;
  CHECK(e && orca_error_kind(e) == ORCA_ERROR_UNLINKABLE);
  if (e) orca_error_delete(e);
  if (m) wasm_module_delete(m);

  orca_linker_delete(linker);
  wasm_store_delete(store);
}

static double seconds_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double interrupted_at;  /* written by the interrupter, read after it was joined */
static void* interrupter(void* arg) {
  (void)arg;
  wait_for_guest();
  usleep(300000);  /* let the guest block */
  wasm_store_t* s = current_store;
  if (s) {
    interrupted_at = seconds_now();
    orca_error_t* e = orca_store_interrupt(s);
    if (e) orca_error_delete(e);
  }
  return NULL;
}

/* A guest blocked in a host call (poll_oneoff, a read of a silent pipe, sock_accept) is ended by
 * orca_store_interrupt from another thread: the wait gives up and the guest traps "interrupted"
 * at its next check, within 5 s of the interruption instead of its 30 s. */
static void case_interrupt(void) {
  wasm_config_t* config = wasm_config_new();
  orca_config_interruptible_set(config, true);
  wasm_engine_t* plain = engine;
  engine = wasm_engine_new_with_config(config);
  const char* modes[] = {"sleep", "read", "accept"};
  for (int m = 0; m < 3; m++) {
    wasi_config_t* c = captured_config();
    const char* argv[] = {"blocking", modes[m]};
    wasi_config_set_argv(c, 2, argv);
    int saved = -1, pipefd[2] = {-1, -1}, listener = -1;
    if (m == 1) {  /* stdin: a pipe whose writer stays open and silent */
      saved = dup(0);
      CHECK(pipe(pipefd) == 0);
      dup2(pipefd[0], 0);
      wasi_config_inherit_stdin(c);
    }
    if (m == 2) {
      listener = socket(AF_INET, SOCK_STREAM, 0);
      struct sockaddr_in a;
      memset(&a, 0, sizeof a);
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      CHECK(bind(listener, (struct sockaddr*)&a, sizeof a) == 0 && listen(listener, 1) == 0);
      wasi_config_preopen_socket(c, listener);
    }
    pthread_t thread;
    interrupted_at = 0;
    pthread_create(&thread, NULL, interrupter, NULL);
    run_t r;
    CHECK(run_guest("blocking", c, &r));
    double ended = seconds_now();
    pthread_join(thread, NULL);
    /* From the interruption to the end of the call (compiling the guest is not counted). */
    double took = interrupted_at > 0 ? ended - interrupted_at : 1e9;
    if (m == 1) {
      dup2(saved, 0);
      close(saved);
      close(pipefd[0]);
      close(pipefd[1]);
    }
    if (listener >= 0) close(listener);
    CHECK(r.trapped && !r.exited);
    CHECK(strstr(r.message, "interrupted") != NULL);
    CHECK(took < 5.0);
    CHECK(r.out && strstr(r.out, "waiting") && !strstr(r.out, "woke"));
    if (!r.trapped || took >= 5.0)
      fprintf(stderr, "interrupt %s: trapped=%d exited=%d took %.1fs: %s\n%s", modes[m], r.trapped, r.exited, took,
              r.message, r.out ? r.out : "");
    run_free(&r);
  }
  wasm_engine_delete(engine);
  engine = plain;
}

typedef struct {
  char from[600], to[600], marker[700];
  int ok;
} mover_t;

static void* mover(void* arg) {
  mover_t* m = arg;
  wait_for_guest();
  usleep(100000);
  m->ok = rename(m->from, m->to) == 0;
  write_text(m->marker, "moved\n");
  return NULL;
}

/* The host renames the preopened directory while the guest uses it (into a place whose ".."
 * holds another secret): the preopen follows the directory and nothing above it is reachable. */
static void case_moved(void) {
  char sandbox[600], outside[600], p[800];
  make_tree("moved", sandbox, sizeof sandbox, outside, sizeof outside);
  snprintf(p, sizeof p, "%s/file.txt", sandbox);
  write_text(p, "inside\n");
  snprintf(p, sizeof p, "%s/sub", sandbox);
  mkdir(p, 0777);
  mover_t m;
  memset(&m, 0, sizeof m);
  snprintf(m.from, sizeof m.from, "%s", sandbox);
  char elsewhere[400]; /* tmp_root and a name: short enough that m.to below holds it and more */
  snprintf(elsewhere, sizeof elsewhere, "%s/elsewhere", tmp_root);
  mkdir(elsewhere, 0777);
  snprintf(p, sizeof p, "%s/secret.txt", elsewhere);
  write_text(p, "SECRET\n");
  snprintf(m.to, sizeof m.to, "%s/moved-sandbox", elsewhere);
  snprintf(m.marker, sizeof m.marker, "%s/moved-marker", m.to);
  wasi_config_t* c = captured_config();
  wasi_config_preopen_dir(c, sandbox, "/sandbox");
  pthread_t thread;
  pthread_create(&thread, NULL, mover, &m);
  run_t r;
  CHECK(run_guest("moved", c, &r));
  pthread_join(thread, NULL);
  CHECK(m.ok);
  check_guest_passed(getenv("ORCA_WASI_FORCE_WALK") ? "moved (component walk)" : "moved (openat2)", &r);
  run_free(&r);
  snprintf(p, sizeof p, "%s/made-after-move", m.to);
  struct stat sb;
  CHECK(stat(p, &sb) == 0 && S_ISDIR(sb.st_mode));
  snprintf(p, sizeof p, "%s/planted", elsewhere);
  CHECK(stat(p, &sb) != 0);
}

/* What the edge guest leaves in its preopen, as wasi_memfs_list writes a listing: its own files
 * and links, and none of the absolute links or sync-flagged files it was refused. */
static const char kEdgeRoot[] = "d/\nfile.txt\nrel\n";
static const char kEdgeDir[] = "dsync\ns\nsync\nup\n";

static int compare_names(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

/* The names in host directory `path` in wasi_memfs_list's form (sorted, "/" after directories). */
static bool host_listing_is(const char* path, const char* want) {
  DIR* dir = opendir(path);
  if (!dir) return false;
  char* names[64];
  size_t count = 0;
  struct dirent* ent;
  while ((ent = readdir(dir)) && count < 64) {
    if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
    names[count] = malloc(strlen(ent->d_name) + 2);
    sprintf(names[count], "%s%s", ent->d_name, ent->d_type == DT_DIR ? "/" : "");
    count++;
  }
  closedir(dir);
  qsort(names, count, sizeof names[0], compare_names);
  char got[1024] = "";
  for (size_t i = 0; i < count; i++) {
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s\n", names[i]);
    free(names[i]);
  }
  if (strcmp(got, want) != 0) fprintf(stderr, "%s holds:\n%s", path, got);
  return strcmp(got, want) == 0;
}

/* POSIX edge cases (ENOTSOCK, EISDIR, EPERM for absolute symlinks, sync flags against the
 * inheriting rights) on a host directory; ctest runs it with openat2 and with the walk. */
static void case_edge(void) {
  char sandbox[600], outside[600], p[700];
  make_tree("edge", sandbox, sizeof sandbox, outside, sizeof outside);
  run_in_host_dir("edge", sandbox, getenv("ORCA_WASI_FORCE_WALK") ? "edge (component walk)" : "edge (openat2)");
  CHECK(host_listing_is(sandbox, kEdgeRoot));
  snprintf(p, sizeof p, "%s/d", sandbox);
  CHECK(host_listing_is(p, kEdgeDir));
  snprintf(p, sizeof p, "%s/d/dsync", sandbox);
  char* text = slurp(p);
  CHECK(text && strcmp(text, "synced") == 0);
  free(text);
}

/* The same edge cases on the in-memory filesystem. */
static void case_edge_memfs(void) {
  wasi_memfs_t* fs = wasi_memfs_new();
  run_in_memfs("edge", fs, "edge (memfs)");
  wasm_byte_vec_t v;
  CHECK(wasi_memfs_list(fs, "/", &v) == NULL);
  CHECK(v.size == strlen(kEdgeRoot) && memcmp(v.data, kEdgeRoot, v.size) == 0);
  wasm_byte_vec_delete(&v);
  CHECK(wasi_memfs_list(fs, "/d", &v) == NULL);
  CHECK(v.size == strlen(kEdgeDir) && memcmp(v.data, kEdgeDir, v.size) == 0);
  wasm_byte_vec_delete(&v);
  CHECK(wasi_memfs_read_file(fs, "/d/dsync", &v) == NULL);
  CHECK(v.size == 6 && memcmp(v.data, "synced", 6) == 0);
  wasm_byte_vec_delete(&v);
  wasi_memfs_delete(fs);
}

typedef struct {
  const char* name;
  void (*fn)(void);
} case_t;

static const case_t cases[] = {
    {"stdio", case_stdio},
    {"fs", case_fs},
    {"fs_memfs", case_fs_memfs},
    {"escape", case_escape},
    {"escape_memfs", case_escape_memfs},
    {"misc", case_misc},
    {"sockets", case_sockets},
    {"abi", case_abi},
    {"interrupt", case_interrupt},
    {"moved", case_moved},
    {"edge", case_edge},
    {"edge_memfs", case_edge_memfs},
};

/* ---- run mode --------------------------------------------------------------------------- */

static int run_mode(int argc, char** argv) {
  const char* file = argv[2];
  wasi_config_t* c = wasi_config_new();
  wasi_config_inherit_stdin(c);
  wasi_config_inherit_stdout(c);
  wasi_config_inherit_stderr(c);
  const char* args[64];
  size_t nargs = 0;
  const char* names[64];
  const char* values[64];
  size_t nenv = 0;
  char envbuf[64][256];
  args[nargs++] = file;
  for (int i = 3; i < argc; i++) {
    if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
      char* spec = argv[++i];
      char* sep = strstr(spec, "::");
      if (sep) {
        *sep = 0;
        wasi_config_preopen_dir(c, spec, sep + 2);
      } else {
        wasi_config_preopen_dir(c, spec, spec);
      }
    } else if (strcmp(argv[i], "--env") == 0 && i + 1 < argc && nenv < 64) {
      snprintf(envbuf[nenv], sizeof envbuf[nenv], "%s", argv[++i]);
      char* eq = strchr(envbuf[nenv], '=');
      if (!eq) continue;
      *eq = 0;
      names[nenv] = envbuf[nenv];
      values[nenv] = eq + 1;
      nenv++;
    } else if (strcmp(argv[i], "--") == 0) {
      for (i++; i < argc && nargs < 64; i++) args[nargs++] = argv[i];
    }
  }
  wasi_config_set_argv(c, nargs, args);
  wasi_config_set_env(c, nenv, names, values);
  run_t r;
  if (!run_guest(file, c, &r)) return 2;
  int code = r.exited ? r.status : 1;
  if (r.trapped) fprintf(stderr, "trap: %s\n", r.message);
  if (r.define_kind >= 0) fprintf(stderr, "error: %s\n", r.message);
  run_free(&r);
  return code;
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "--bounds-checks") == 0) {
    wasm_config_t* config = wasm_config_new();
    orca_config_bounds_checks_set(config, true);
    engine = wasm_engine_new_with_config(config);
    argv[1] = argv[0];
    argv++;
    argc--;
  } else {
    engine = wasm_engine_new();
  }
  if (argc > 2 && strcmp(argv[1], "run") == 0) {
    int code = run_mode(argc, argv);
    wasm_engine_delete(engine);
    return code;
  }
  if (argc > 1) wasm_dir = argv[1];
  make_tmp_root();
  size_t ncases = sizeof cases / sizeof cases[0];
  for (size_t i = 0; i < ncases; i++) {
    bool selected = argc <= 2;
    for (int a = 2; a < argc; a++) selected |= strcmp(argv[a], cases[i].name) == 0;
    if (selected) cases[i].fn();
  }
  remove_tree(tmp_root);
  wasm_engine_delete(engine);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
