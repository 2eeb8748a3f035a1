// What function-body validation needs to know about the module (the spec's context C), computed
// once per module and shared read-only, so bodies can be validated independently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "op_types.h"
#include "orca/ir/error.h"
#include "orca/ir/module.h"

namespace orca::validate::detail {

struct ModuleContext {
  explicit ModuleContext(const ir::Module& module);

  const ir::Module& module;
  uint32_t funcCount;
  uint32_t tableCount;
  uint32_t memoryCount;
  uint32_t globalCount;
  // C.refs: 1 for every function index that occurs outside function bodies (element segments,
  // global initialisers, exports), which is what ref.func inside a body may name.
  std::vector<uint8_t> declaredRefs;

  // The type of function `f`, or nullptr when f or its type index is out of range.
  const ir::FuncType* funcType(uint32_t f) const {
    if (f >= funcCount) return nullptr;
    uint32_t t = module.funcTypeIndex(ir::FuncIdx(f)).value;
    return t < module.types.size() ? &module.types[t] : nullptr;
  }
};

// Valid value type bytes (a decoder produces nothing else, but hand-built IR may).
inline bool isValidValType(uint8_t byte) { return ir::isValTypeByte(byte); }
inline bool isRefTypeByte(uint8_t byte) {
  return byte == st(ir::ValType::FuncRef) || byte == st(ir::ValType::ExternRef);
}

// Type name for messages; the bottom type prints as "unknown".
const char* stackTypeName(StackType t);

// "i32.add", or a placeholder for an opcode outside the table.
std::string opNameOrCode(ir::Opcode op);

// Validates one defined function body (index `definedIndex` into module.functions). Reusable:
// keeps its stacks between calls so a module's functions validate without allocating per
// instruction.
// The operand stack: a plain growable array, because std::vector's resize and push_back do not
// always inline in the hot loop and this stack is touched by every instruction.
class ValueStack {
 public:
  size_t size() const { return size_; }
  StackType back() const { return data_[size_ - 1]; }
  StackType operator[](size_t i) const { return data_[i]; }
  StackType& operator[](size_t i) { return data_[i]; }
  const StackType* data() const { return data_; }
  void pop_back() { --size_; }
  void push_back(StackType t) {
    if (size_ == capacity_) grow();
    data_[size_++] = t;
  }
  void truncate(size_t n) { size_ = n; }  // n <= size()
  void clear() { size_ = 0; }

 private:
  void grow() {
    storage_.resize(storage_.empty() ? 256 : storage_.size() * 2);
    data_ = storage_.data();
    capacity_ = storage_.size();
  }
  std::vector<StackType> storage_;
  StackType* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

class FunctionValidator {
 public:
  explicit FunctionValidator(const ModuleContext& context) : ctx_(context) {}

  Status validate(uint32_t definedIndex);

 private:
  // A control frame of the spec's algorithm. Label and result types point into the module's
  // type section or into a static table of single types, so frames never own memory.
  struct Frame {
    ir::Opcode op;
    bool unreachable;
    uint32_t height;  // operand stack height at entry
    const ir::ValType* params;
    uint32_t paramCount;
    const ir::ValType* results;
    uint32_t resultCount;
  };

  bool run(const ir::Function& function, const ir::FuncType& type);
  bool setUpLocals(const ir::Function& function, const ir::FuncType& type);
  bool localType(uint32_t index, StackType& out) const;

  void push(StackType t) { vals_.push_back(t); }
  // Fast paths inline: the value is there and matches. Everything else (an empty frame, the
  // bottom type, an error) goes out of line.
  [[gnu::always_inline]] bool pop(StackType expect) {
    if (vals_.size() > height_) {
      StackType actual = vals_.back();
      if (actual == expect) {
        vals_.pop_back();
        return true;
      }
    }
    return popSlow(expect);
  }
  bool popSlow(StackType expect);
  bool popAny(StackType& out);
  bool popVals(const ir::ValType* types, uint32_t count);
  void pushVals(const ir::ValType* types, uint32_t count);
  bool checkVals(const ir::ValType* types, uint32_t count);  // pop then push back, in place
  void pushCtrl(ir::Opcode op, const ir::ValType* params, uint32_t paramCount,
                const ir::ValType* results, uint32_t resultCount);
  bool popCtrl(Frame& out);
  void setUnreachable();
  bool label(uint32_t depth, const Frame*& out);
  static void labelTypes(const Frame& frame, const ir::ValType*& types, uint32_t& count);
  bool blockType(const ir::Instr& instr, const ir::ValType*& params, uint32_t& paramCount,
                 const ir::ValType*& results, uint32_t& resultCount);
  [[gnu::always_inline]] bool applySignature(const OpTypes& types) {
    uint32_t n = types.paramCount;
    size_t size = vals_.size();
    if (size >= height_ + n) {
      const StackType* top = vals_.data() + size - n;
      bool match = true;
      for (uint32_t i = 0; i < n; ++i) match &= top[i] == types.params[i];
      if (match) {
        if (types.result != kUnknown) {
          if (n != 0) {
            vals_[size - n] = types.result;
            vals_.truncate(size - n + 1);
          } else {
            vals_.push_back(types.result);
          }
        } else {
          vals_.truncate(size - n);
        }
        return true;
      }
    }
    return applySignatureSlow(types);
  }
  bool applySignatureSlow(const OpTypes& types);
  bool checkMemory(uint32_t index);
  bool checkTable(uint32_t index, StackType& elem);

  bool fail(std::string message);
  bool failMalformed(std::string message);
  bool mismatch(StackType expected, StackType actual, bool actualMissing);

  const ModuleContext& ctx_;
  ValueStack vals_;
  uint32_t height_ = 0;  // ctrls_.back().height, cached for the fast paths
  std::vector<Frame> ctrls_;
  // Locals (parameters first). Expanded into `locals_` when few; beyond kExpandedLocalsMax the
  // declared runs are searched by their cumulative end instead, so a body declaring billions of
  // locals costs no memory.
  std::vector<StackType> locals_;
  std::vector<uint64_t> runEnds_;
  std::vector<StackType> runTypes_;
  uint64_t localTotal_ = 0;

  uint32_t funcIndex_ = 0;
  const ir::Function* function_ = nullptr;
  const ir::Instr* current_ = nullptr;
  std::optional<Error> error_;
};

// Names the owner of a constant expression in messages ("elem segment 3 item 7"), formatted only
// when an error is reported: a module may hold a million element items.
struct ConstExprOwner {
  const char* kind;       // "global", "elem segment", "data segment"
  uint64_t index;
  const char* part = "";  // "", " offset" or " item "
  int64_t item = -1;      // with " item "
  std::string describe() const;
};

// Validates a constant expression whose single result must have type `expected`. Global indices
// refer to the imported globals only (2.0's constant-expression context).
Status validateConstExpr(const ModuleContext& context, const ir::InstrSeq& expr, ir::ValType expected,
                         const ConstExprOwner& owner);

}  // namespace orca::validate::detail
