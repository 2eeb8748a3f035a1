// Internal to core/compile: the per-module and per-function IR emitters. The function emitter
// walks a validated body once, keeping the wasm operand stack as llvm::Value*s and a control
// stack of blocks; each opcode family lives in its own file (emit_control.cpp, emit_numeric.cpp,
// emit_memory.cpp, emit_table.cpp, emit_variable.cpp, emit_simd.cpp), and emitInstr() in
// emit_function.cpp dispatches by opcode to them.
//
// ---------------------------------------------------------------------------------------------
// Writing an emitter for a family (the SIMD one, say): the short API
//
//   Operand stack   pop() returns the top value; pop2()/pop3() return {a, b[, c]} in push order
//                   (for `x y i32.sub`, auto [x, y] = pop2()); push(v) pushes a result.
//                   Values have the LLVM type of their wasm type (llvmType(ValType)):
//                     i32 -> i32, i64 -> i64, f32 -> float, f64 -> double,
//                     v128 -> <2 x i64> (m.v128Ty: this is the ABI type of every v128 on the
//                            stack, in locals, globals, parameters and results),
//                     funcref/externref -> ptr.
//   v128 lanes      asLanes(v, m.i8x16Ty) bitcasts a <2 x i64> to a lane vector (i8x16Ty,
//                   i16x8Ty, i32x4Ty, i64x2Ty, f32x4Ty, f64x2Ty); pushV128(laneVector) bitcasts
//                   any 128-bit vector back to <2 x i64> and pushes it. Push nothing else for a
//                   v128 result: joins (phis) and locals expect exactly m.v128Ty.
//   Builder         b is the llvm::IRBuilder positioned at the current point; m.ctx the
//                   LLVMContext, m.mod the llvm::Module, intrinsic(id, {types}) declares one.
//   Immediates      the Instr's fields as documented in orca/ir/instr.h: `lane` for lane
//                   instructions, v128Immediate(instr) for v128.const and i8x16.shuffle (the 16
//                   little-endian bytes), memarg in align/c/a.
//   Memory          memoryAddress(instr, index, accessBytes) turns the popped i32 index of a
//                   memarg instruction into a pointer (base + zext(index) + offset as a 64-bit
//                   add, with the explicit bounds check when that mode is on); then call
//                   load(type, ptr, instr) / store(value, ptr, instr), which apply the memarg's
//                   alignment and the access rules (volatile, see emit_memory.cpp) every access
//                   to linear memory must follow. Never emit a plain load/store to memory.
//   Traps           trapIf(cond, TrapCode::X) branches to a cold block that calls
//                   orca_rt_trap(vmctx, X) when cond (an i1) is true and continues on the hot
//                   path; trapAlways(code) ends the current block with a trap. Each call site
//                   gets its own block, so that a backtrace names the instruction that trapped.
//   Locations       every instruction emitted carries a debug location whose line is the byte
//                   offset of the wasm instruction being emitted (emit() sets it per
//                   instruction); see ModuleEmitter::subprogram.
//   Errors          return internalError("...") (ErrorKind::Internal: a bug in the compiler) as
//                   a Status; Status{} when the instruction was emitted. Every instruction of a
//                   validated 2.0 module compiles, so there is no "unsupported" here.
//
// Every 0xFD-prefixed opcode goes to emitSimd() (emit_simd.cpp), one function for the whole family.
// ---------------------------------------------------------------------------------------------
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "orca/compile/abi.h"
#include "orca/compile/compile.h"
#include "orca/ir/module.h"
#include "orca/ir/trap.h"

namespace orca::compile {

Error internalError(std::string message);

// One LLVM module (a partition): its types, the declarations of wasm functions and runtime
// functions, shared by every function emitted into it.
class ModuleEmitter {
 public:
  ModuleEmitter(llvm::LLVMContext& ctx, llvm::Module& mod, const ir::Module& wasm,
                const CompileOptions& options);

  llvm::LLVMContext& ctx;
  llvm::Module& mod;
  const ir::Module& wasm;
  const CompileOptions& options;

  llvm::Type* voidTy;
  llvm::IntegerType* i1Ty;
  llvm::IntegerType* i8Ty;
  llvm::IntegerType* i16Ty;
  llvm::IntegerType* i32Ty;
  llvm::IntegerType* i64Ty;
  llvm::Type* f32Ty;
  llvm::Type* f64Ty;
  llvm::PointerType* ptrTy;
  llvm::FixedVectorType* v128Ty;  // <2 x i64>: the ABI type of v128
  llvm::FixedVectorType* i8x16Ty;
  llvm::FixedVectorType* i16x8Ty;
  llvm::FixedVectorType* i32x4Ty;
  llvm::FixedVectorType* i64x2Ty;
  llvm::FixedVectorType* f32x4Ty;
  llvm::FixedVectorType* f64x2Ty;

  llvm::Type* llvmType(ir::ValType t) const;
  // The native signature of a wasm function type: (ptr vmctx, params...) -> void | T | {T...}.
  llvm::FunctionType* functionType(const ir::FuncType& type);
  llvm::FunctionType* functionType(ir::TypeIdx t) { return functionType(wasm.types[t.value]); }
  llvm::Type* resultType(const ir::FuncType& type);
  // The zero value of a type (null for references).
  llvm::Constant* zeroValue(ir::ValType t) const;

  // The function orca_func_<index> (a defined function): its definition when this partition
  // emits it, otherwise an external declaration that the linker resolves.
  llvm::Function* definedFunction(uint32_t funcIndex);
  // A runtime function of abi.h, declared on first use.
  llvm::Function* runtimeFunction(const char* name);
  // Applies the attributes every generated function carries (frame pointer, unwind tables,
  // inline stack probes).
  void addCommonAttributes(llvm::Function* f);

  static std::string funcSymbol(uint32_t funcIndex);

  // Debug info that exists for backtraces, not for debuggers: one DISubprogram per defined
  // function, named by its symbol, and locations whose line is a wasm byte offset. Inlining then
  // keeps each inlined instruction's own offset with an inlinedAt chain up to the call, codegen
  // writes it as DWARF line tables, and core/jit reads them back into a pc -> frames table.
  llvm::DISubprogram* subprogram(uint32_t funcIndex, uint32_t bodyStart);
  // Completes the debug info of this module (before verification).
  void finalizeDebugInfo();

  // TBAA access tags: linear memory never aliases the runtime's structures. With explicit
  // bounds checks, load()/store() tag memory accesses and emit() tags every other non-local
  // access as runtime; in guard-page mode nothing is tagged (see emit_memory.cpp).
  llvm::MDNode* tbaaMemory = nullptr;
  llvm::MDNode* tbaaRuntime = nullptr;

  // Set for the baseline code of a tiered module: functions count calls and loop iterations.
  const TierCounting* counting = nullptr;

 private:
  std::vector<llvm::Function*> functions_;
  std::unique_ptr<llvm::DIBuilder> debugInfo_;  // created with the first subprogram
  llvm::DIFile* debugFile_ = nullptr;
  llvm::DISubroutineType* debugType_ = nullptr;
};

// Emits one defined function into a ModuleEmitter's module.
class FunctionEmitter {
 public:
  FunctionEmitter(ModuleEmitter& m, uint32_t definedIndex);
  Status emit();

  // ---- state the family emitters use ----
  ModuleEmitter& m;
  llvm::IRBuilder<> b;
  const ir::Module& wasm;
  const ir::Function& func;
  const ir::FuncType& type;
  llvm::Function* fn = nullptr;
  llvm::Value* vmctx = nullptr;

  // ---- operand stack ----
  llvm::Value* pop() {
    llvm::Value* v = stack_.back();
    stack_.pop_back();
    return v;
  }
  std::pair<llvm::Value*, llvm::Value*> pop2() {
    llvm::Value* y = pop();
    llvm::Value* x = pop();
    return {x, y};
  }
  struct Three {
    llvm::Value* a;
    llvm::Value* b;
    llvm::Value* c;
  };
  Three pop3() {
    llvm::Value* c = pop();
    llvm::Value* bb = pop();
    llvm::Value* a = pop();
    return {a, bb, c};
  }
  void push(llvm::Value* v) { stack_.push_back(v); }
  llvm::Value* top() const { return stack_.back(); }
  // The top n values in push order, popped.
  std::vector<llvm::Value*> popN(size_t n);

  // ---- v128 helpers ----
  llvm::Value* asLanes(llvm::Value* v128, llvm::FixedVectorType* laneTy) {
    return b.CreateBitCast(v128, laneTy);
  }
  void pushV128(llvm::Value* vector128) { push(b.CreateBitCast(vector128, m.v128Ty)); }
  const ir::V128& v128Immediate(const ir::Instr& instr) const {
    return func.body.v128s[static_cast<size_t>(instr.c)];
  }

  // ---- traps ----
  void trapIf(llvm::Value* cond, TrapCode code);
  void trapAlways(TrapCode code);
  // A new cold block that traps with `code`, located at the current instruction.
  llvm::BasicBlock* trapBlock(TrapCode code);

  // ---- memory ----
  llvm::Value* memoryAddress(const ir::Instr& instr, llvm::Value* index, uint32_t accessBytes);
  llvm::Value* load(llvm::Type* type, llvm::Value* address, const ir::Instr& instr);
  void store(llvm::Value* value, llvm::Value* address, const ir::Instr& instr);
  // Whether linear memory accesses are volatile (guard-page mode; see emit_memory.cpp).
  bool volatileMemory() const;

  // ---- context loads ----
  // A field of VMContext (an invariant pointer: the runtime sets it before any call).
  llvm::Value* vmctxField(size_t offset, const char* name);
  llvm::Value* storeContext();      // vmctx->store
  llvm::Value* globalCell(uint32_t globalIndex);  // &globals[i]->value
  llvm::Value* tableHeader(uint32_t tableIndex);  // tables[i]
  llvm::Value* funcRecord(uint32_t funcIndex);    // funcs[i]
  llvm::Value* memoryHeader(uint32_t memoryIndex);  // memories[i]
  llvm::Function* intrinsic(llvm::Intrinsic::ID id, llvm::ArrayRef<llvm::Type*> types);
  llvm::Value* constU32(uint32_t v) { return b.getInt32(v); }
  // A call through a FuncRecord*: record->code(record->vmctx, args...).
  llvm::Value* callRecord(llvm::Value* record, ir::TypeIdx type, std::vector<llvm::Value*> args);
  // Pushes the results of a call (void, one value or a struct of values).
  void pushCallResults(llvm::Value* result, const ir::FuncType& calleeType);

  // ---- control ----
  enum class FrameKind : uint8_t { Function, Block, Loop, If };
  struct ControlFrame {
    FrameKind kind;
    std::vector<ir::ValType> params;
    std::vector<ir::ValType> results;
    size_t height = 0;                    // operand stack height below the params
    llvm::BasicBlock* endBlock = nullptr;  // continuation after `end`
    llvm::BasicBlock* loopHeader = nullptr;
    llvm::BasicBlock* elseBlock = nullptr;  // `if`: the false arm
    std::vector<llvm::PHINode*> endPhis;
    std::vector<llvm::PHINode*> loopPhis;
    std::vector<llvm::Value*> ifParams;  // `if`: the params, for the false arm
    uint32_t endPos = 0;
    uint32_t elsePos = 0;  // `if` with an else: its position
    bool inElse = false;
  };

  // Family entry points (one per file). Each returns an error for an opcode it cannot emit.
  Status emitControl(const ir::Instr& instr);
  Status emitNumeric(const ir::Instr& instr);
  Status emitConversion(const ir::Instr& instr);
  Status emitMemory(const ir::Instr& instr);
  Status emitTable(const ir::Instr& instr);
  Status emitVariable(const ir::Instr& instr);
  Status emitSimd(const ir::Instr& instr);

  // Current position in the body (emitControl moves it to skip unreachable code).
  size_t pc = 0;

 private:
  Status emitInstr(const ir::Instr& instr);
  // Gives the instructions emitted from now on the location `offset` (a wasm byte offset).
  void locate(uint32_t offset);
  void emitPrologue();
  void blockTypeSignature(const ir::Instr& instr, std::vector<ir::ValType>& params,
                          std::vector<ir::ValType>& results) const;
  // Passes the top values to `frame` as a branch would (phi incomings) and branches there.
  void branchTo(ControlFrame& frame);
  void addIncoming(const std::vector<llvm::PHINode*>& phis, llvm::BasicBlock* from);
  void emitReturn();
  // After an unconditional transfer: skip the rest of the frame's code up to its else/end.
  void markUnreachable();
  void enterBlock(llvm::BasicBlock* bb);  // sets the insert point and charges fuel
  void chargeFuel();
  void checkInterrupt();
  // Adds one to the function's tier-up counter (ModuleEmitter::counting) and asks for the
  // optimised tier when it reaches the threshold. Its blocks charge no fuel, so fuel is the same
  // in both tiers.
  void countForTierUp();
  std::vector<llvm::PHINode*> makePhis(llvm::BasicBlock* bb, const std::vector<ir::ValType>& types);

 public:
  std::vector<llvm::Value*> stack_;
  std::vector<ControlFrame> controls_;
  std::vector<llvm::AllocaInst*> locals_;
  std::vector<ir::ValType> localTypes_;
  llvm::Value* memoryBase_ = nullptr;  // loaded in the prologue when the module has a memory
  llvm::DISubprogram* subprogram_ = nullptr;
  llvm::MDNode* coldWeights_ = nullptr;
  bool reachable_ = true;  // whether the insert point can be reached
};

}  // namespace orca::compile
