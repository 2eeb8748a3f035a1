// Control instructions: structured blocks with multi-value joins as phis, branches, calls.
//
// Code after an unconditional transfer (br, br_table, return, unreachable) is never emitted:
// markUnreachable() moves the cursor to the enclosing frame's `else` or `end`, whose positions
// the decoder recorded on the block instruction, and those handlers restore the operand stack.
#include "emitter.h"

namespace orca::compile {

using ir::Opcode;
using ir::ValType;

void FunctionEmitter::blockTypeSignature(const ir::Instr& instr, std::vector<ValType>& params,
                                         std::vector<ValType>& results) const {
  params.clear();
  results.clear();
  switch (static_cast<ir::BlockTypeKind>(instr.b)) {
    case ir::BlockTypeKind::Empty: break;
    case ir::BlockTypeKind::Value: results.push_back(static_cast<ValType>(instr.a)); break;
    case ir::BlockTypeKind::TypeIndex: {
      const ir::FuncType& t = wasm.types[instr.a];
      params = t.params;
      results = t.results;
      break;
    }
  }
}

std::vector<llvm::PHINode*> FunctionEmitter::makePhis(llvm::BasicBlock* bb,
                                                      const std::vector<ValType>& types) {
  std::vector<llvm::PHINode*> phis;
  for (ValType t : types) phis.push_back(llvm::PHINode::Create(m.llvmType(t), 2, "", bb));
  return phis;
}

void FunctionEmitter::addIncoming(const std::vector<llvm::PHINode*>& phis,
                                  llvm::BasicBlock* from) {
  size_t n = phis.size();
  for (size_t i = 0; i < n; ++i) phis[i]->addIncoming(stack_[stack_.size() - n + i], from);
}

void FunctionEmitter::branchTo(ControlFrame& frame) {
  // A branch to a loop continues it (its params); to anything else, leaves it (its results).
  bool loop = frame.kind == FrameKind::Loop;
  addIncoming(loop ? frame.loopPhis : frame.endPhis, b.GetInsertBlock());
  b.CreateBr(loop ? frame.loopHeader : frame.endBlock);
}

void FunctionEmitter::enterBlock(llvm::BasicBlock* bb) {
  if (!bb->getParent()) bb->insertInto(fn);
  b.SetInsertPoint(bb);
  chargeFuel();
}

void FunctionEmitter::markUnreachable() {
  ControlFrame& frame = controls_.back();
  if (frame.kind == FrameKind::If && !frame.inElse && frame.elsePos != 0) {
    pc = frame.elsePos - 1;  // the loop's ++pc lands on the `else`
  } else {
    pc = frame.endPos - 1;  // ... or on the `end`
  }
  reachable_ = false;
}

void FunctionEmitter::emitReturn() {
  size_t n = type.results.size();
  if (n == 0) {
    b.CreateRetVoid();
  } else if (n == 1) {
    b.CreateRet(stack_.back());
  } else {
    llvm::Value* agg = llvm::PoisonValue::get(m.resultType(type));
    for (size_t i = 0; i < n; ++i) {
      agg = b.CreateInsertValue(agg, stack_[stack_.size() - n + i], static_cast<unsigned>(i));
    }
    b.CreateRet(agg);
  }
}

Status FunctionEmitter::emitControl(const ir::Instr& instr) {
  switch (instr.op) {
    case Opcode::Nop: return {};
    case Opcode::Unreachable:
      trapAlways(TrapCode::Unreachable);
      markUnreachable();
      return {};

    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: {
      ControlFrame frame;
      frame.kind = instr.op == Opcode::Block  ? FrameKind::Block
                   : instr.op == Opcode::Loop ? FrameKind::Loop
                                              : FrameKind::If;
      blockTypeSignature(instr, frame.params, frame.results);
      frame.endPos = static_cast<uint32_t>(instr.c & 0xFFFFFFFFu);
      frame.elsePos = static_cast<uint32_t>(instr.c >> 32);
      llvm::Value* cond = nullptr;
      if (frame.kind == FrameKind::If) cond = b.CreateICmpNE(pop(), b.getInt32(0));
      frame.height = stack_.size() - frame.params.size();
      frame.endBlock = llvm::BasicBlock::Create(m.ctx, "end");
      frame.endPhis = makePhis(frame.endBlock, frame.results);
      if (frame.kind == FrameKind::Loop) {
        frame.loopHeader = llvm::BasicBlock::Create(m.ctx, "loop", fn);
        frame.loopPhis = makePhis(frame.loopHeader, frame.params);
        for (size_t i = 0; i < frame.params.size(); ++i) {
          frame.loopPhis[i]->addIncoming(stack_[frame.height + i], b.GetInsertBlock());
          stack_[frame.height + i] = frame.loopPhis[i];
        }
        b.CreateBr(frame.loopHeader);
        enterBlock(frame.loopHeader);
        checkInterrupt();
        countForTierUp();
      } else if (frame.kind == FrameKind::If) {
        llvm::BasicBlock* thenBB = llvm::BasicBlock::Create(m.ctx, "then", fn);
        frame.elseBlock = llvm::BasicBlock::Create(m.ctx, "else", fn);
        frame.ifParams.assign(stack_.begin() + static_cast<ptrdiff_t>(frame.height), stack_.end());
        b.CreateCondBr(cond, thenBB, frame.elseBlock);
        enterBlock(thenBB);
      }
      controls_.push_back(std::move(frame));
      return {};
    }

    case Opcode::Else: {
      ControlFrame& frame = controls_.back();
      if (reachable_) {
        addIncoming(frame.endPhis, b.GetInsertBlock());
        b.CreateBr(frame.endBlock);
      }
      stack_.resize(frame.height);
      stack_.insert(stack_.end(), frame.ifParams.begin(), frame.ifParams.end());
      frame.inElse = true;
      reachable_ = true;
      enterBlock(frame.elseBlock);
      return {};
    }

    case Opcode::End: {
      ControlFrame& frame = controls_.back();
      if (reachable_) {
        addIncoming(frame.endPhis, b.GetInsertBlock());
        b.CreateBr(frame.endBlock);
      }
      if (frame.kind == FrameKind::If && !frame.inElse) {
        // No else arm: the false edge passes the params through as results.
        b.SetInsertPoint(frame.elseBlock);
        stack_.resize(frame.height);
        stack_.insert(stack_.end(), frame.ifParams.begin(), frame.ifParams.end());
        addIncoming(frame.endPhis, frame.elseBlock);
        b.CreateBr(frame.endBlock);
      }
      stack_.resize(frame.height);
      ControlFrame done = std::move(frame);
      controls_.pop_back();
      if (llvm::pred_empty(done.endBlock)) {
        // Nothing reaches the end: neither does the code after it.
        for (llvm::PHINode* phi : done.endPhis) phi->eraseFromParent();
        delete done.endBlock;
        if (controls_.empty()) return {};
        markUnreachable();
        return {};
      }
      done.endBlock->insertInto(fn);
      b.SetInsertPoint(done.endBlock);
      for (llvm::PHINode* phi : done.endPhis) push(phi);
      reachable_ = true;
      if (done.kind == FrameKind::Function) {
        emitReturn();
        return {};
      }
      chargeFuel();
      return {};
    }

    case Opcode::Br: {
      branchTo(controls_[controls_.size() - 1 - instr.a]);
      markUnreachable();
      return {};
    }

    case Opcode::BrIf: {
      llvm::Value* cond = b.CreateICmpNE(pop(), b.getInt32(0));
      ControlFrame& target = controls_[controls_.size() - 1 - instr.a];
      llvm::BasicBlock* cont = llvm::BasicBlock::Create(m.ctx, "br_if.cont", fn);
      addIncoming(target.kind == FrameKind::Loop ? target.loopPhis : target.endPhis,
                  b.GetInsertBlock());
      b.CreateCondBr(cond, target.kind == FrameKind::Loop ? target.loopHeader : target.endBlock,
                     cont);
      b.SetInsertPoint(cont);
      return {};
    }

    case Opcode::BrTable: {
      llvm::Value* index = pop();
      const auto& targets = func.body.brTargets;
      uint32_t first = instr.a;
      uint32_t count = instr.b;
      // One edge block per distinct label, so that each phi sees one incoming per predecessor.
      // Indexed by label (bounded by the control depth), so huge tables stay linear.
      std::vector<llvm::BasicBlock*> edgeByLabel(controls_.size(), nullptr);
      std::vector<std::pair<uint32_t, llvm::BasicBlock*>> edges;
      auto edgeFor = [&](uint32_t label) {
        llvm::BasicBlock*& bb = edgeByLabel[label];
        if (!bb) {
          bb = llvm::BasicBlock::Create(m.ctx, "br_table.edge", fn);
          edges.emplace_back(label, bb);
        }
        return bb;
      };
      llvm::SwitchInst* sw = b.CreateSwitch(index, edgeFor(targets[first + count]), count);
      for (uint32_t i = 0; i < count; ++i) sw->addCase(b.getInt32(i), edgeFor(targets[first + i]));
      for (auto& [label, bb] : edges) {
        b.SetInsertPoint(bb);
        branchTo(controls_[controls_.size() - 1 - label]);
      }
      markUnreachable();
      return {};
    }

    case Opcode::Return:
      emitReturn();
      markUnreachable();
      return {};

    case Opcode::Call: {
      uint32_t callee = instr.a;
      ir::TypeIdx t = wasm.funcTypeIndex(ir::FuncIdx(callee));
      const ir::FuncType& ct = wasm.types[t.value];
      std::vector<llvm::Value*> args = popN(ct.params.size());
      llvm::Value* result;
      if (callee < wasm.importedFuncs()) {
        result = callRecord(funcRecord(callee), t, std::move(args));
      } else {
        args.insert(args.begin(), vmctx);
        llvm::CallInst* call = b.CreateCall(m.definedFunction(callee), args);
        // Tail-recursion elimination would turn `(func $f (call $f))` into a loop that never
        // exhausts the stack; wasm requires the stack to grow (call.wast "runaway").
        call->setTailCallKind(llvm::CallInst::TCK_NoTail);
        result = call;
      }
      pushCallResults(result, ct);
      return {};
    }

    case Opcode::CallIndirect: {
      ir::TypeIdx t(instr.a);
      const ir::FuncType& ct = wasm.types[t.value];
      llvm::Value* index = b.CreateZExt(pop(), m.i64Ty);
      std::vector<llvm::Value*> args = popN(ct.params.size());
      llvm::Value* table = tableHeader(instr.b);
      llvm::Value* size = b.CreateAlignedLoad(
          m.i64Ty, b.CreateConstInBoundsGEP1_64(m.i8Ty, table, offsetof(abi::TableHeader, size)),
          llvm::Align(8), "table.size");
      trapIf(b.CreateICmpUGE(index, size), TrapCode::UndefinedElement);
      llvm::Value* elements = b.CreateAlignedLoad(m.ptrTy, table, llvm::Align(8), "elements");
      llvm::Value* record = b.CreateAlignedLoad(
          m.ptrTy, b.CreateInBoundsGEP(m.ptrTy, elements, index), llvm::Align(8), "record");
      trapIf(b.CreateICmpEQ(record, llvm::ConstantPointerNull::get(m.ptrTy)),
             TrapCode::UninitializedElement);
      llvm::Value* typeId = b.CreateAlignedLoad(
          m.i32Ty, b.CreateConstInBoundsGEP1_64(m.i8Ty, record, offsetof(abi::FuncRecord, typeId)),
          llvm::Align(4), "type.id");
      llvm::Value* typeIds = vmctxField(offsetof(abi::VMContext, typeIds), "type.ids");
      llvm::LoadInst* expected = b.CreateAlignedLoad(
          m.i32Ty, b.CreateConstInBoundsGEP1_64(m.i32Ty, typeIds, t.value), llvm::Align(4),
          "expected.type.id");
      expected->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(m.ctx, {}));
      trapIf(b.CreateICmpNE(typeId, expected), TrapCode::IndirectCallTypeMismatch);
      pushCallResults(callRecord(record, t, std::move(args)), ct);
      return {};
    }
    default: break;
  }
  return internalError(std::string("not a control instruction: ") + std::string(ir::opName(instr.op)));
}

}  // namespace orca::compile
