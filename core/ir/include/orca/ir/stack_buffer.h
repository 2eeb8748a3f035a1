// A fixed-size array that lives on the stack when it is small: call paths copy a few values per
// call, and a heap allocation there costs more than the call itself.
#pragma once

#include <cstddef>
#include <memory>

namespace orca {

template <typename T, size_t N>
class StackBuffer {
 public:
  // `size` value-initialised elements.
  explicit StackBuffer(size_t size) : size_(size) {
    if (size > N) {
      large_ = std::make_unique<T[]>(size);
      data_ = large_.get();
    } else {
      for (size_t i = 0; i < size; ++i) small_[i] = T{};
    }
  }
  StackBuffer(const StackBuffer&) = delete;
  StackBuffer& operator=(const StackBuffer&) = delete;

  T* data() { return data_; }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }

 private:
  T small_[N];
  std::unique_ptr<T[]> large_;
  T* data_ = small_;
  size_t size_;
};

}  // namespace orca
