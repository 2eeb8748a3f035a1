// wasi.h over core/wasi. A wasi_env_t is the guest's WasiContext itself: the host functions that
// orca_linker_define_wasi creates hold it (a shared_ptr in each callback), and they live as long
// as the store, so the env pointer stays valid exactly as long as the store does.
#include "wasi.h"

#include <cstring>
#include <string>

#include "internal.h"
#include "orca/wasi/wasi.h"

using namespace orca;
using namespace orca::capi;

struct wasi_config_t {
  wasi::WasiConfig config;
};

struct wasi_memfs_t {
  std::shared_ptr<wasi::MemFs> fs;
};

namespace {

wasi::WasiContext* contextOf(const wasi_env_t* env) {
  return reinterpret_cast<wasi::WasiContext*>(const_cast<wasi_env_t*>(env));
}

void bytesOut(const std::vector<uint8_t>& bytes, wasm_byte_vec_t* out) {
  if (bytes.empty()) return wasm_byte_vec_new_empty(out);
  wasm_byte_vec_new(out, bytes.size(), reinterpret_cast<const wasm_byte_t*>(bytes.data()));
}

orca_error_t* fromStatus(Status s) { return s ? nullptr : newError(s.takeError()); }

}  // namespace

extern "C" {

wasi_config_t* wasi_config_new(void) { return new wasi_config_t{}; }
void wasi_config_delete(wasi_config_t* c) { delete c; }

void wasi_config_set_argv(wasi_config_t* c, size_t argc, const char* const argv[]) {
  if (!c) return;
  c->config.args.clear();
  for (size_t i = 0; i < argc; i++) c->config.args.emplace_back(argv && argv[i] ? argv[i] : "");
}

void wasi_config_set_env(wasi_config_t* c, size_t count, const char* const names[], const char* const values[]) {
  if (!c) return;
  c->config.env.clear();
  for (size_t i = 0; i < count; i++)
    c->config.env.emplace_back(names && names[i] ? names[i] : "", values && values[i] ? values[i] : "");
}

void wasi_config_inherit_env(wasi_config_t* c) {
  if (!c) return;
  extern char** environ;
  c->config.env.clear();
  for (char** e = environ; e && *e; e++) {
    const char* eq = std::strchr(*e, '=');
    if (!eq) continue;
    c->config.env.emplace_back(std::string(*e, size_t(eq - *e)), std::string(eq + 1));
  }
}

void wasi_config_preopen_dir(wasi_config_t* c, const char* host_path, const char* guest_path) {
  if (!c || !host_path || !guest_path) return;
  c->config.preopens.push_back({host_path, guest_path, nullptr});
}

void wasi_config_preopen_socket(wasi_config_t* c, int host_fd) {
  if (c) c->config.preopenSockets.push_back(host_fd);
}

void wasi_config_preopen_memfs(wasi_config_t* c, const wasi_memfs_t* fs, const char* guest_path) {
  if (!c || !fs || !guest_path) return;
  c->config.preopens.push_back({"", guest_path, fs->fs});
}

void wasi_config_set_stdin_bytes(wasi_config_t* c, const wasm_byte_vec_t* bytes) {
  if (!c) return;
  c->config.stdinConfig = {};
  c->config.stdinConfig.kind = wasi::StdioConfig::Kind::Bytes;
  if (bytes && bytes->size) c->config.stdinConfig.bytes.assign(bytes->data, bytes->data + bytes->size);
}
void wasi_config_set_stdin_file(wasi_config_t* c, const char* path) {
  if (!c || !path) return;
  c->config.stdinConfig = {};
  c->config.stdinConfig.kind = wasi::StdioConfig::Kind::File;
  c->config.stdinConfig.path = path;
}
void wasi_config_inherit_stdin(wasi_config_t* c) {
  if (c) c->config.stdinConfig = {wasi::StdioConfig::Kind::Inherit, {}, {}};
}

static void setOut(wasi::StdioConfig* s, wasi::StdioConfig::Kind kind, const char* path) {
  *s = {};
  s->kind = kind;
  if (path) s->path = path;
}
void wasi_config_inherit_stdout(wasi_config_t* c) {
  if (c) setOut(&c->config.stdoutConfig, wasi::StdioConfig::Kind::Inherit, nullptr);
}
void wasi_config_set_stdout_file(wasi_config_t* c, const char* path) {
  if (c && path) setOut(&c->config.stdoutConfig, wasi::StdioConfig::Kind::File, path);
}
void wasi_config_capture_stdout(wasi_config_t* c) {
  if (c) setOut(&c->config.stdoutConfig, wasi::StdioConfig::Kind::Capture, nullptr);
}
void wasi_config_inherit_stderr(wasi_config_t* c) {
  if (c) setOut(&c->config.stderrConfig, wasi::StdioConfig::Kind::Inherit, nullptr);
}
void wasi_config_set_stderr_file(wasi_config_t* c, const char* path) {
  if (c && path) setOut(&c->config.stderrConfig, wasi::StdioConfig::Kind::File, path);
}
void wasi_config_capture_stderr(wasi_config_t* c) {
  if (c) setOut(&c->config.stderrConfig, wasi::StdioConfig::Kind::Capture, nullptr);
}

void wasi_env_stdout(const wasi_env_t* env, wasm_byte_vec_t* out) {
  if (!out) return;
  if (!env) return wasm_byte_vec_new_empty(out);
  bytesOut(contextOf(env)->captured(1), out);
}
void wasi_env_stderr(const wasi_env_t* env, wasm_byte_vec_t* out) {
  if (!out) return;
  if (!env) return wasm_byte_vec_new_empty(out);
  bytesOut(contextOf(env)->captured(2), out);
}

orca_error_t* orca_linker_define_wasi(orca_linker_t* linker, wasi_config_t* config, wasi_env_t** env_out) {
  if (env_out) *env_out = nullptr;
  std::unique_ptr<wasi_config_t> owned(config);
  if (!linker || !config) return newError(ORCA_ERROR_UNSUPPORTED, "orca_linker_define_wasi: null argument");
  auto context = wasi::WasiContext::create(std::move(config->config));
  if (!context) return newError(context.takeError());
  std::shared_ptr<wasi::WasiContext> ctx = std::move(*context);
  Status status = wasi::defineWasi(linker->linker, ctx);
  if (!status) return newError(status.takeError());
  // The store's host functions now hold the context; the env pointer is valid while they live.
  if (env_out) *env_out = reinterpret_cast<wasi_env_t*>(ctx.get());
  return nullptr;
}

wasi_memfs_t* wasi_memfs_new(void) { return new wasi_memfs_t{wasi::MemFs::create()}; }
void wasi_memfs_delete(wasi_memfs_t* fs) { delete fs; }

orca_error_t* wasi_memfs_write_file(wasi_memfs_t* fs, const char* path, const wasm_byte_vec_t* bytes) {
  if (!fs || !path) return newError(ORCA_ERROR_IO, "wasi_memfs_write_file: null argument");
  std::span<const uint8_t> data;
  if (bytes && bytes->size) data = {reinterpret_cast<const uint8_t*>(bytes->data), bytes->size};
  return fromStatus(fs->fs->writeFile(path, data));
}
orca_error_t* wasi_memfs_mkdir(wasi_memfs_t* fs, const char* path) {
  if (!fs || !path) return newError(ORCA_ERROR_IO, "wasi_memfs_mkdir: null argument");
  return fromStatus(fs->fs->makeDirs(path));
}
orca_error_t* wasi_memfs_symlink(wasi_memfs_t* fs, const char* target, const char* path) {
  if (!fs || !path || !target) return newError(ORCA_ERROR_IO, "wasi_memfs_symlink: null argument");
  return fromStatus(fs->fs->symlink(target, path));
}
orca_error_t* wasi_memfs_read_file(const wasi_memfs_t* fs, const char* path, wasm_byte_vec_t* out) {
  if (out) wasm_byte_vec_new_empty(out);
  if (!fs || !path || !out) return newError(ORCA_ERROR_IO, "wasi_memfs_read_file: null argument");
  auto bytes = fs->fs->readFile(path);
  if (!bytes) return newError(bytes.takeError());
  bytesOut(*bytes, out);
  return nullptr;
}
orca_error_t* wasi_memfs_list(const wasi_memfs_t* fs, const char* path, wasm_byte_vec_t* out) {
  if (out) wasm_byte_vec_new_empty(out);
  if (!fs || !path || !out) return newError(ORCA_ERROR_IO, "wasi_memfs_list: null argument");
  auto names = fs->fs->list(path);
  if (!names) return newError(names.takeError());
  std::string text;
  for (auto& n : *names) text += n + "\n";
  bytesOut(std::vector<uint8_t>(text.begin(), text.end()), out);
  return nullptr;
}

}  // extern "C"
