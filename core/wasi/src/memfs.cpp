// The in-memory filesystem: a tree of nodes behind one mutex. A guest's directory descriptor
// holds its node; every path is resolved beneath that node by the same rules as on the host
// (".." cannot climb above it, absolute paths and absolute symlinks are refused with
// ENOTCAPABLE, more than 40 symlinks is ELOOP), so a preopened MemFs is a sandbox by
// construction: no host path is ever formed.
#include <algorithm>
#include <ctime>
#include <map>
#include <mutex>

#include "descriptor.h"
#include "path.h"
#include "memfs.h"

namespace orca::wasi {

using namespace abi;

namespace {

struct Node {
  uint8_t type = kFiletypeRegularFile;  // regular file, directory or symbolic link
  std::vector<uint8_t> data;            // files
  std::string target;                   // symlinks
  std::map<std::string, std::shared_ptr<Node>> children;  // directories
  std::weak_ptr<Node> parent;                               // directories
  uint64_t ino = 0, nlink = 1, atim = 0, mtim = 0, ctim = 0;
};
using NodeP = std::shared_ptr<Node>;

uint64_t nowNs() {
  struct timespec ts {};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000ull + uint64_t(ts.tv_nsec);
}

class MemFsImpl final : public MemFs, public std::enable_shared_from_this<MemFsImpl> {
 public:
  MemFsImpl() { root = newNode(kFiletypeDirectory, nullptr); }

  mutable std::mutex mutex;
  NodeP root;
  uint64_t nextIno = 1;

  NodeP newNode(uint8_t type, const NodeP& parent) {
    auto n = std::make_shared<Node>();
    n->type = type;
    n->ino = nextIno++;
    n->atim = n->mtim = n->ctim = nowNs();
    if (type == kFiletypeDirectory) n->parent = parent;
    return n;
  }

  // Resolves `path` beneath `start`. With `follow`, a symlink in the last place is followed.
  Errno resolve(const NodeP& start, std::string_view path, bool follow, NodeP* out) const {
    if (path.empty()) return kNoent;
    if (path[0] == '/') return kNotcapable;
    std::vector<std::string> rest = pathComponents(path);
    bool trailingSlash = path.back() == '/';
    std::reverse(rest.begin(), rest.end());
    std::vector<NodeP> chain{start};
    int links = 0;
    while (!rest.empty()) {
      std::string name = std::move(rest.back());
      rest.pop_back();
      bool last = rest.empty();
      NodeP cur = chain.back();
      if (cur->type != kFiletypeDirectory) return kNotdir;
      if (name == ".") continue;
      if (name == "..") {
        if (chain.size() == 1) return kNotcapable;
        chain.pop_back();
        continue;
      }
      auto it = cur->children.find(name);
      if (it == cur->children.end()) return kNoent;
      NodeP next = it->second;
      if (next->type == kFiletypeSymbolicLink && (!last || follow || trailingSlash)) {
        if (++links > 40) return kLoop;
        if (next->target.empty()) return kNoent;
        if (next->target[0] == '/') return kNotcapable;
        auto parts = pathComponents(next->target);
        for (auto p = parts.rbegin(); p != parts.rend(); ++p) rest.push_back(*p);
        continue;
      }
      chain.push_back(next);
    }
    if (trailingSlash && chain.back()->type != kFiletypeDirectory) return kNotdir;
    *out = chain.back();
    return kSuccess;
  }

  // The parent directory of `path` beneath `start` and the last component.
  Errno resolveParent(const NodeP& start, std::string_view path, NodeP* parent, SplitPath* split) const {
    if (path.empty()) return kNoent;
    if (path[0] == '/') return kNotcapable;
    *split = splitPath(path);
    if (Errno e = resolve(start, split->dir.empty() ? "." : split->dir, true, parent)) return e;
    if ((*parent)->type != kFiletypeDirectory) return kNotdir;
    if (split->name == "." || split->name == "..") {
      NodeP probe;
      if (Errno e = resolve(start, path, true, &probe)) return e;
    }
    return kSuccess;
  }

  static void fill(const Node& n, Filestat* out) {
    out->dev = 0x4d454d;  // one device for the whole MemFs
    out->ino = n.ino;
    out->filetype = n.type;
    out->nlink = n.type == kFiletypeDirectory ? 2 : n.nlink;
    out->size = n.type == kFiletypeRegularFile ? n.data.size()
                : n.type == kFiletypeSymbolicLink ? n.target.size()
                                                  : n.children.size();
    out->atim = n.atim;
    out->mtim = n.mtim;
    out->ctim = n.ctim;
  }

  static Errno setTimes(Node& n, uint64_t atim, uint64_t mtim, uint16_t fst) {
    if (((fst & kFstAtim) && (fst & kFstAtimNow)) || ((fst & kFstMtim) && (fst & kFstMtimNow))) return kInval;
    if (fst & ~uint16_t(0xf)) return kInval;
    uint64_t now = nowNs();
    if (fst & kFstAtim) n.atim = atim;
    if (fst & kFstAtimNow) n.atim = now;
    if (fst & kFstMtim) n.mtim = mtim;
    if (fst & kFstMtimNow) n.mtim = now;
    n.ctim = now;
    return kSuccess;
  }

  // --- the host's side ---
  Status hostError(Errno e, std::string_view what, std::string_view path) const {
    return makeError(ErrorKind::Io, std::string(what) + ": " + std::string(path) + " (wasi errno " + std::to_string(e) + ")");
  }
  static std::string rel(std::string_view path) {
    while (!path.empty() && path[0] == '/') path.remove_prefix(1);
    return path.empty() ? "." : std::string(path);
  }
  Errno mkdirsLocked(std::string_view path) {
    NodeP cur = root;
    for (auto& c : pathComponents(path)) {
      if (c == ".") continue;
      if (c == "..") return kNotcapable;
      auto it = cur->children.find(c);
      if (it == cur->children.end()) {
        NodeP d = newNode(kFiletypeDirectory, cur);
        cur->children[c] = d;
        cur = d;
      } else if (it->second->type == kFiletypeDirectory) {
        cur = it->second;
      } else {
        return kNotdir;
      }
    }
    return kSuccess;
  }
  Status writeFile(std::string_view path, std::span<const uint8_t> bytes) override {
    std::lock_guard<std::mutex> lock(mutex);
    SplitPath s = splitPath(rel(path));
    if (Errno e = mkdirsLocked(s.dir)) return hostError(e, "cannot create the directories of", path);
    NodeP parent;
    if (Errno e = resolve(root, s.dir.empty() ? "." : s.dir, true, &parent)) return hostError(e, "cannot write", path);
    if (s.name.empty() || s.name == "." || s.name == "..") return hostError(kInval, "not a file name", path);
    auto& slot = parent->children[s.name];
    if (slot && slot->type == kFiletypeDirectory) return hostError(kIsdir, "is a directory", path);
    if (!slot || slot->type != kFiletypeRegularFile) slot = newNode(kFiletypeRegularFile, parent);
    slot->data.assign(bytes.begin(), bytes.end());
    slot->mtim = slot->ctim = nowNs();
    return {};
  }
  Status makeDirs(std::string_view path) override {
    std::lock_guard<std::mutex> lock(mutex);
    if (Errno e = mkdirsLocked(rel(path))) return hostError(e, "cannot create directory", path);
    return {};
  }
  Status symlink(std::string_view target, std::string_view path) override {
    std::lock_guard<std::mutex> lock(mutex);
    SplitPath s = splitPath(rel(path));
    if (Errno e = mkdirsLocked(s.dir)) return hostError(e, "cannot create the directories of", path);
    NodeP parent;
    if (Errno e = resolve(root, s.dir.empty() ? "." : s.dir, true, &parent)) return hostError(e, "cannot link", path);
    if (parent->children.count(s.name)) return hostError(kExist, "exists", path);
    NodeP l = newNode(kFiletypeSymbolicLink, parent);
    l->target = std::string(target);
    parent->children[s.name] = l;
    return {};
  }
  Result<std::vector<uint8_t>> readFile(std::string_view path) const override {
    std::lock_guard<std::mutex> lock(mutex);
    NodeP n;
    if (Errno e = resolve(root, rel(path), true, &n)) return makeError(ErrorKind::Io, "no such file: " + std::string(path) + " (wasi errno " + std::to_string(e) + ")");
    if (n->type != kFiletypeRegularFile) return makeError(ErrorKind::Io, "not a regular file: " + std::string(path));
    return n->data;
  }
  Result<std::vector<std::string>> list(std::string_view path) const override {
    std::lock_guard<std::mutex> lock(mutex);
    NodeP n;
    if (Errno e = resolve(root, rel(path), true, &n)) return makeError(ErrorKind::Io, "no such directory: " + std::string(path) + " (wasi errno " + std::to_string(e) + ")");
    if (n->type != kFiletypeDirectory) return makeError(ErrorKind::Io, "not a directory: " + std::string(path));
    std::vector<std::string> out;
    for (auto& [name, child] : n->children) out.push_back(child->type == kFiletypeDirectory ? name + "/" : name);
    return out;
  }
};

class MemFileDesc final : public Descriptor {
 public:
  MemFileDesc(std::shared_ptr<MemFsImpl> fs, NodeP node, bool append) : fs_(std::move(fs)), node_(std::move(node)), append_(append) {}
  uint8_t filetype() const override { return kFiletypeRegularFile; }

  Errno readAt(const IoBuffers& bufs, uint64_t offset, uint64_t* n) {
    const auto& d = node_->data;
    uint64_t total = 0;
    for (auto& b : bufs) {
      if (offset >= d.size()) break;
      size_t k = size_t(std::min<uint64_t>(b.size(), d.size() - offset));
      std::copy_n(d.data() + offset, k, b.data());
      offset += k;
      total += k;
    }
    *n = total;
    node_->atim = nowNs();
    return kSuccess;
  }
  Errno writeAt(const std::vector<std::span<const uint8_t>>& bufs, uint64_t offset, uint64_t* n) {
    auto& d = node_->data;
    uint64_t total = 0;
    for (auto& b : bufs) total += b.size();
    if (offset > (uint64_t(1) << 32) || total > (uint64_t(1) << 32)) return kFbig;
    if (d.size() < offset + total) d.resize(offset + total);
    for (auto& b : bufs) {
      std::copy(b.begin(), b.end(), d.begin() + ptrdiff_t(offset));
      offset += b.size();
    }
    *n = total;
    node_->mtim = node_->ctim = nowNs();
    return kSuccess;
  }
  Errno read(const IoBuffers& bufs, uint64_t* n) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    Errno e = readAt(bufs, pos_, n);
    pos_ += *n;
    return e;
  }
  Errno write(const std::vector<std::span<const uint8_t>>& bufs, uint64_t* n) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    if (append_) pos_ = node_->data.size();
    Errno e = writeAt(bufs, pos_, n);
    if (!e) pos_ += *n;
    return e;
  }
  Errno pread(const IoBuffers& bufs, uint64_t offset, uint64_t* n) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    return readAt(bufs, offset, n);
  }
  Errno pwrite(const std::vector<std::span<const uint8_t>>& bufs, uint64_t offset, uint64_t* n) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    return writeAt(bufs, offset, n);
  }
  Errno seek(int64_t offset, uint8_t whence, uint64_t* newOffset) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    int64_t base = whence == kWhenceSet ? 0 : whence == kWhenceCur ? int64_t(pos_) : int64_t(node_->data.size());
    if (whence > kWhenceEnd) return kInval;
    if ((offset < 0 && base + offset < 0) || (offset > 0 && base > INT64_MAX - offset)) return kInval;
    pos_ = uint64_t(base + offset);
    *newOffset = pos_;
    return kSuccess;
  }
  Errno stat(Filestat* out) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    MemFsImpl::fill(*node_, out);
    return kSuccess;
  }
  Errno getFlags(uint16_t* flags) override {
    *flags = append_ ? kFdflagAppend : 0;
    return kSuccess;
  }
  Errno setFlags(uint16_t flags) override {
    if (flags & ~uint16_t(kFdflagAppend | kFdflagNonblock)) return kNotsup;
    append_ = flags & kFdflagAppend;
    return kSuccess;
  }
  Errno setSize(uint64_t size) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    if (size > (uint64_t(1) << 32)) return kFbig;
    node_->data.resize(size);
    node_->mtim = node_->ctim = nowNs();
    return kSuccess;
  }
  Errno setTimes(uint64_t atim, uint64_t mtim, uint16_t fst) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    return MemFsImpl::setTimes(*node_, atim, mtim, fst);
  }
  Errno sync() override { return kSuccess; }
  Errno datasync() override { return kSuccess; }
  Errno advise(uint64_t, uint64_t, uint8_t advice) override { return advice > kAdviceMax ? kInval : kSuccess; }
  Errno allocate(uint64_t offset, uint64_t len) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    if (len == 0) return kInval;
    if (offset + len > (uint64_t(1) << 32) || offset + len < offset) return kFbig;
    if (node_->data.size() < offset + len) node_->data.resize(offset + len);
    return kSuccess;
  }
  PollSource pollSource(bool forWrite) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    PollSource p;
    if (!forWrite && node_->data.size() > pos_) p.nbytes = node_->data.size() - pos_;
    return p;
  }

 private:
  std::shared_ptr<MemFsImpl> fs_;
  NodeP node_;
  uint64_t pos_ = 0;
  bool append_ = false;
};

class MemDirDesc final : public Descriptor {
 public:
  MemDirDesc(std::shared_ptr<MemFsImpl> fs, NodeP node) : fs_(std::move(fs)), node_(std::move(node)) {}
  uint8_t filetype() const override { return kFiletypeDirectory; }
  Errno read(const IoBuffers&, uint64_t*) override { return kIsdir; }
  Errno write(const std::vector<std::span<const uint8_t>>&, uint64_t*) override { return kIsdir; }
  Errno stat(Filestat* out) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    MemFsImpl::fill(*node_, out);
    return kSuccess;
  }
  Errno setFlags(uint16_t flags) override { return flags ? kNotsup : kSuccess; }
  Errno setTimes(uint64_t atim, uint64_t mtim, uint16_t fst) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    return MemFsImpl::setTimes(*node_, atim, mtim, fst);
  }
  Errno sync() override { return kSuccess; }
  Errno datasync() override { return kSuccess; }

  Errno readdir(std::vector<DirEntry>* out) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    NodeP parent = node_->parent.lock();
    out->push_back({".", node_->ino, kFiletypeDirectory});
    out->push_back({"..", parent ? parent->ino : node_->ino, kFiletypeDirectory});
    for (auto& [name, child] : node_->children) out->push_back({name, child->ino, child->type});
    return kSuccess;
  }

  Errno openAt(std::string_view path, const OpenRequest& rq, std::unique_ptr<Descriptor>* out) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    NodeP n;
    Errno e = fs_->resolve(node_, path, rq.follow, &n);
    if (e == kNoent && (rq.oflags & kOflagCreat)) {
      NodeP parent;
      SplitPath s;
      if (Errno pe = fs_->resolveParent(node_, path, &parent, &s)) return pe;
      if (s.trailingSlash || s.name == "." || s.name == "..") return kIsdir;
      auto it = parent->children.find(s.name);
      if (it != parent->children.end()) {
        // A dangling symlink: create its target when following, as open(2) does.
        if (it->second->type == kFiletypeSymbolicLink && rq.follow) return kNoent;
        return kExist;
      }
      if (rq.oflags & kOflagDirectory) return kNoent;
      n = fs_->newNode(kFiletypeRegularFile, parent);
      parent->children[s.name] = n;
      parent->mtim = nowNs();
    } else if (e) {
      return e;
    } else if ((rq.oflags & kOflagCreat) && (rq.oflags & kOflagExcl)) {
      return kExist;
    }
    if (n->type == kFiletypeSymbolicLink) return kLoop;  // not followed (O_NOFOLLOW)
    if (n->type == kFiletypeDirectory) {
      if (rq.write || (rq.oflags & kOflagTrunc)) return kIsdir;
      *out = std::make_unique<MemDirDesc>(fs_, n);
      return kSuccess;
    }
    if (rq.oflags & kOflagDirectory) return kNotdir;
    if (rq.oflags & kOflagTrunc) {
      n->data.clear();
      n->mtim = n->ctim = nowNs();
    }
    *out = std::make_unique<MemFileDesc>(fs_, n, rq.fdflags & kFdflagAppend);
    return kSuccess;
  }
  Errno statAt(std::string_view path, bool follow, Filestat* out) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    NodeP n;
    if (Errno e = fs_->resolve(node_, path, follow, &n)) return e;
    MemFsImpl::fill(*n, out);
    return kSuccess;
  }
  Errno setTimesAt(std::string_view path, bool follow, uint64_t atim, uint64_t mtim, uint16_t fst) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    NodeP n;
    if (Errno e = fs_->resolve(node_, path, follow, &n)) return e;
    return MemFsImpl::setTimes(*n, atim, mtim, fst);
  }
  Errno mkdirAt(std::string_view path) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    NodeP parent;
    SplitPath s;
    if (Errno e = fs_->resolveParent(node_, path, &parent, &s)) return e;
    if (s.name == "." || s.name == ".." || parent->children.count(s.name)) return kExist;
    parent->children[s.name] = fs_->newNode(kFiletypeDirectory, parent);
    parent->mtim = nowNs();
    return kSuccess;
  }
  Errno rmdirAt(std::string_view path) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    NodeP parent;
    SplitPath s;
    if (Errno e = fs_->resolveParent(node_, path, &parent, &s)) return e;
    if (s.name == ".") return kInval;
    if (s.name == "..") return kNotempty;
    auto it = parent->children.find(s.name);
    if (it == parent->children.end()) return kNoent;
    if (it->second->type != kFiletypeDirectory) return kNotdir;
    if (!it->second->children.empty()) return kNotempty;
    parent->children.erase(it);
    return kSuccess;
  }
  Errno unlinkAt(std::string_view path) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    NodeP parent;
    SplitPath s;
    if (Errno e = fs_->resolveParent(node_, path, &parent, &s)) return e;
    if (s.name == "." || s.name == "..") return kIsdir;
    auto it = parent->children.find(s.name);
    if (it == parent->children.end()) return kNoent;
    if (it->second->type == kFiletypeDirectory) return kIsdir;
    if (s.trailingSlash) return kNotdir;
    if (it->second->nlink > 1) it->second->nlink--;
    parent->children.erase(it);
    return kSuccess;
  }
  Errno readlinkAt(std::string_view path, std::string* out) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    NodeP parent;
    SplitPath s;
    if (Errno e = fs_->resolveParent(node_, path, &parent, &s)) return e;
    auto it = parent->children.find(s.name);
    if (it == parent->children.end()) return kNoent;
    if (it->second->type != kFiletypeSymbolicLink || s.trailingSlash) return kInval;
    *out = it->second->target;
    return kSuccess;
  }
  Errno symlinkAt(std::string_view target, std::string_view path) override {
    std::lock_guard<std::mutex> lock(fs_->mutex);
    NodeP parent;
    SplitPath s;
    if (Errno e = fs_->resolveParent(node_, path, &parent, &s)) return e;
    if (s.name == "." || s.name == ".." || parent->children.count(s.name)) return kExist;
    if (s.trailingSlash) return kNoent;
    NodeP l = fs_->newNode(kFiletypeSymbolicLink, parent);
    l->target = std::string(target);
    parent->children[s.name] = l;
    return kSuccess;
  }
  Errno renameAt(std::string_view oldPath, Descriptor& newDirBase, std::string_view newPath) override {
    auto* newDir = dynamic_cast<MemDirDesc*>(&newDirBase);
    if (!newDir || newDir->fs_ != fs_) return kXdev;
    std::lock_guard<std::mutex> lock(fs_->mutex);
    NodeP op, np;
    SplitPath os, ns;
    if (Errno e = fs_->resolveParent(node_, oldPath, &op, &os)) return e;
    if (Errno e = fs_->resolveParent(newDir->node_, newPath, &np, &ns)) return e;
    if (os.name == "." || os.name == ".." || ns.name == "." || ns.name == "..") return kBusy;
    auto it = op->children.find(os.name);
    if (it == op->children.end()) return kNoent;
    NodeP moving = it->second;
    bool isDir = moving->type == kFiletypeDirectory;
    if ((os.trailingSlash || ns.trailingSlash) && !isDir) return kNotdir;
    if (isDir) {  // not into itself or below it
      for (NodeP p = np; p; p = p->parent.lock())
        if (p == moving) return kInval;
    }
    auto target = np->children.find(ns.name);
    if (target != np->children.end()) {
      if (target->second == moving) return kSuccess;
      bool targetDir = target->second->type == kFiletypeDirectory;
      if (isDir && !targetDir) return kNotdir;
      if (!isDir && targetDir) return kIsdir;
      if (targetDir && !target->second->children.empty()) return kNotempty;
    }
    op->children.erase(os.name);
    np->children[ns.name] = moving;
    if (isDir) moving->parent = np;
    moving->ctim = op->mtim = np->mtim = nowNs();
    return kSuccess;
  }
  Errno linkAt(std::string_view oldPath, bool follow, Descriptor& newDirBase, std::string_view newPath) override {
    auto* newDir = dynamic_cast<MemDirDesc*>(&newDirBase);
    if (!newDir || newDir->fs_ != fs_) return kXdev;
    std::lock_guard<std::mutex> lock(fs_->mutex);
    NodeP src;
    if (Errno e = fs_->resolve(node_, oldPath, follow, &src)) return e;
    if (src->type == kFiletypeDirectory) return kPerm;
    NodeP np;
    SplitPath ns;
    if (Errno e = fs_->resolveParent(newDir->node_, newPath, &np, &ns)) return e;
    if (ns.name == "." || ns.name == ".." || np->children.count(ns.name)) return kExist;
    if (ns.trailingSlash) return kNoent;
    np->children[ns.name] = src;
    src->nlink++;
    src->ctim = nowNs();
    return kSuccess;
  }

 private:
  std::shared_ptr<MemFsImpl> fs_;
  NodeP node_;
};

}  // namespace

std::shared_ptr<MemFs> MemFs::create() { return std::make_shared<MemFsImpl>(); }

std::unique_ptr<Descriptor> openMemFsRoot(std::shared_ptr<MemFs> fs) {
  auto impl = std::static_pointer_cast<MemFsImpl>(fs);
  NodeP root = impl->root;
  return std::make_unique<MemDirDesc>(std::move(impl), std::move(root));
}

}  // namespace orca::wasi
