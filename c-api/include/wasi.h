/*
 * WASI preview1 for guests run through the C API: a configuration (args, environment, preopened
 * directories, standard streams) that orca_linker_define_wasi turns into the state of one guest
 * and the "wasi_snapshot_preview1" imports that use it.
 *
 *   wasi_config_t* config = wasi_config_new();
 *   const char* argv[] = {"hello", "world"};
 *   wasi_config_set_argv(config, 2, argv);
 *   wasi_config_inherit_stdout(config);
 *   wasi_env_t* env;  // borrowed: lives as long as the store
 *   orca_error_t* error = orca_linker_define_wasi(linker, config, &env);  // takes the config
 *
 * A guest that calls proc_exit ends its call with a trap whose orca_trap_exit_status() is true
 * (ORCA_ERROR_EXIT from the orca_* calls that return errors); that is an exit, not a failure.
 */
#ifndef ORCA_WASI_H
#define ORCA_WASI_H

#include "orca.h"

#ifndef own
#define own
#define WASI_H_UNDEF_OWN
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wasi_config_t wasi_config_t;

WASM_API_EXTERN own wasi_config_t* wasi_config_new(void);
WASM_API_EXTERN void wasi_config_delete(own wasi_config_t*);

/* argv as the guest sees it, program name first; strings are copied. */
WASM_API_EXTERN void wasi_config_set_argv(wasi_config_t*, size_t argc, const char* const argv[]);
/* The environment, replacing what was set before; strings are copied. */
WASM_API_EXTERN void wasi_config_set_env(wasi_config_t*, size_t count, const char* const names[],
                                         const char* const values[]);
/* The host process's environment. */
WASM_API_EXTERN void wasi_config_inherit_env(wasi_config_t*);
/* Grants the guest the directory `host_path` under the name `guest_path` ("/", "/data", ".").
 * The guest reaches nothing outside its preopens. The directory is opened when the config is
 * used (orca_linker_define_wasi reports one that cannot be). */
WASM_API_EXTERN void wasi_config_preopen_dir(wasi_config_t*, const char* host_path, const char* guest_path);

/* Hands the guest a host socket (typically a listening TCP socket, for sock_accept), numbered
 * after the preopened directories in the order given. The descriptor is duplicated when the
 * config is used; the host keeps its own. */
WASM_API_EXTERN void wasi_config_preopen_socket(wasi_config_t*, int host_fd);

/* An in-memory filesystem a host fills, preopens instead of a host directory, and reads back
 * after the run. Paths are relative to its root ("a/b.txt" and "/a/b.txt" are the same file).
 * The guest sees the same sandbox as on a host directory. Functions returning orca_error_t*
 * return null on success and ORCA_ERROR_IO otherwise. */
typedef struct wasi_memfs_t wasi_memfs_t;
WASM_API_EXTERN own wasi_memfs_t* wasi_memfs_new(void);
/* The filesystem lives on while a config or guest that preopened it does. */
WASM_API_EXTERN void wasi_memfs_delete(own wasi_memfs_t*);
/* Creates or replaces a regular file, creating missing parent directories. */
WASM_API_EXTERN own orca_error_t* wasi_memfs_write_file(wasi_memfs_t*, const char* path, const wasm_byte_vec_t* bytes);
/* Creates a directory and its missing parents. */
WASM_API_EXTERN own orca_error_t* wasi_memfs_mkdir(wasi_memfs_t*, const char* path);
WASM_API_EXTERN own orca_error_t* wasi_memfs_symlink(wasi_memfs_t*, const char* target, const char* path);
/* The bytes of a regular file (symlinks followed). */
WASM_API_EXTERN own orca_error_t* wasi_memfs_read_file(const wasi_memfs_t*, const char* path, own wasm_byte_vec_t* out);
/* The names in a directory, sorted, each followed by '\n'; directories end in '/'. */
WASM_API_EXTERN own orca_error_t* wasi_memfs_list(const wasi_memfs_t*, const char* path, own wasm_byte_vec_t* out);
/* Grants the guest `fs` under the name `guest_path`, in order with wasi_config_preopen_dir. */
WASM_API_EXTERN void wasi_config_preopen_memfs(wasi_config_t*, const wasi_memfs_t* fs, const char* guest_path);

/* Standard input: empty by default. */
WASM_API_EXTERN void wasi_config_set_stdin_bytes(wasi_config_t*, const wasm_byte_vec_t* bytes);
WASM_API_EXTERN void wasi_config_set_stdin_file(wasi_config_t*, const char* path);
WASM_API_EXTERN void wasi_config_inherit_stdin(wasi_config_t*);
/* Standard output and error: discarded by default. A file is created or truncated. A captured
 * stream is read back with wasi_env_stdout / wasi_env_stderr. */
WASM_API_EXTERN void wasi_config_inherit_stdout(wasi_config_t*);
WASM_API_EXTERN void wasi_config_set_stdout_file(wasi_config_t*, const char* path);
WASM_API_EXTERN void wasi_config_capture_stdout(wasi_config_t*);
WASM_API_EXTERN void wasi_config_inherit_stderr(wasi_config_t*);
WASM_API_EXTERN void wasi_config_set_stderr_file(wasi_config_t*, const char* path);
WASM_API_EXTERN void wasi_config_capture_stderr(wasi_config_t*);

/* The state of one WASI guest, owned by the store it was defined in. */
typedef struct wasi_env_t wasi_env_t;

/* What the guest wrote to a captured stdout / stderr so far (empty when not captured). */
WASM_API_EXTERN void wasi_env_stdout(const wasi_env_t*, own wasm_byte_vec_t* out);
WASM_API_EXTERN void wasi_env_stderr(const wasi_env_t*, own wasm_byte_vec_t* out);

/* Defines every "wasi_snapshot_preview1" function in the linker, bound to a new guest state made
 * from `config` (which this call takes, also on failure). `env_out` (may be null) receives the
 * state, borrowed from the linker's store. Errors: ORCA_ERROR_IO when a preopen or stdio file
 * cannot be opened; ORCA_ERROR_UNLINKABLE when a name is already defined and shadowing is off. */
WASM_API_EXTERN own orca_error_t* orca_linker_define_wasi(orca_linker_t*, own wasi_config_t* config,
                                                          wasi_env_t** env_out);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#ifdef WASI_H_UNDEF_OWN
#undef own
#undef WASI_H_UNDEF_OWN
#endif

#endif /* ORCA_WASI_H */
