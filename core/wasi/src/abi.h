// The numbers of wasi_snapshot_preview1 (legacy/preview1/witx/typenames.witx): errno values,
// rights bits, file types, flags and the byte layouts of the structures the guest passes.
#pragma once

#include <cstdint>

namespace orca::wasi::abi {

using Errno = uint16_t;
using Rights = uint64_t;

// errno (enum u16)
enum : Errno {
  kSuccess = 0, k2big = 1, kAcces = 2, kAddrinuse = 3, kAddrnotavail = 4, kAfnosupport = 5,
  kAgain = 6, kAlready = 7, kBadf = 8, kBadmsg = 9, kBusy = 10, kCanceled = 11, kChild = 12,
  kConnaborted = 13, kConnrefused = 14, kConnreset = 15, kDeadlk = 16, kDestaddrreq = 17,
  kDom = 18, kDquot = 19, kExist = 20, kFault = 21, kFbig = 22, kHostunreach = 23, kIdrm = 24,
  kIlseq = 25, kInprogress = 26, kIntr = 27, kInval = 28, kIo = 29, kIsconn = 30, kIsdir = 31,
  kLoop = 32, kMfile = 33, kMlink = 34, kMsgsize = 35, kMultihop = 36, kNametoolong = 37,
  kNetdown = 38, kNetreset = 39, kNetunreach = 40, kNfile = 41, kNobufs = 42, kNodev = 43,
  kNoent = 44, kNoexec = 45, kNolck = 46, kNolink = 47, kNomem = 48, kNomsg = 49,
  kNoprotoopt = 50, kNospc = 51, kNosys = 52, kNotconn = 53, kNotdir = 54, kNotempty = 55,
  kNotrecoverable = 56, kNotsock = 57, kNotsup = 58, kNotty = 59, kNxio = 60, kOverflow = 61,
  kOwnerdead = 62, kPerm = 63, kPipe = 64, kProto = 65, kProtonosupport = 66, kPrototype = 67,
  kRange = 68, kRofs = 69, kSpipe = 70, kSrch = 71, kStale = 72, kTimedout = 73, kTxtbsy = 74,
  kXdev = 75, kNotcapable = 76,
};

// rights (flags u64)
enum : Rights {
  kRightFdDatasync = 1ull << 0,
  kRightFdRead = 1ull << 1,
  kRightFdSeek = 1ull << 2,
  kRightFdFdstatSetFlags = 1ull << 3,
  kRightFdSync = 1ull << 4,
  kRightFdTell = 1ull << 5,
  kRightFdWrite = 1ull << 6,
  kRightFdAdvise = 1ull << 7,
  kRightFdAllocate = 1ull << 8,
  kRightPathCreateDirectory = 1ull << 9,
  kRightPathCreateFile = 1ull << 10,
  kRightPathLinkSource = 1ull << 11,
  kRightPathLinkTarget = 1ull << 12,
  kRightPathOpen = 1ull << 13,
  kRightFdReaddir = 1ull << 14,
  kRightPathReadlink = 1ull << 15,
  kRightPathRenameSource = 1ull << 16,
  kRightPathRenameTarget = 1ull << 17,
  kRightPathFilestatGet = 1ull << 18,
  kRightPathFilestatSetSize = 1ull << 19,
  kRightPathFilestatSetTimes = 1ull << 20,
  kRightFdFilestatGet = 1ull << 21,
  kRightFdFilestatSetSize = 1ull << 22,
  kRightFdFilestatSetTimes = 1ull << 23,
  kRightPathSymlink = 1ull << 24,
  kRightPathRemoveDirectory = 1ull << 25,
  kRightPathUnlinkFile = 1ull << 26,
  kRightPollFdReadwrite = 1ull << 27,
  kRightSockShutdown = 1ull << 28,
  kRightSockAccept = 1ull << 29,
};
constexpr Rights kAllRights = (1ull << 30) - 1;

// What each kind of descriptor can ever do (the maximum a guest can hold on it).
constexpr Rights kRegularFileRights =
    kRightFdDatasync | kRightFdRead | kRightFdSeek | kRightFdFdstatSetFlags | kRightFdSync | kRightFdTell |
    kRightFdWrite | kRightFdAdvise | kRightFdAllocate | kRightFdFilestatGet | kRightFdFilestatSetSize |
    kRightFdFilestatSetTimes | kRightPollFdReadwrite;
constexpr Rights kDirectoryRights =
    kRightFdDatasync | kRightFdFdstatSetFlags | kRightFdSync | kRightFdAdvise | kRightPathCreateDirectory | kRightPathCreateFile |
    kRightPathLinkSource | kRightPathLinkTarget | kRightPathOpen | kRightFdReaddir | kRightPathReadlink |
    kRightPathRenameSource | kRightPathRenameTarget | kRightPathFilestatGet | kRightPathFilestatSetSize |
    kRightPathFilestatSetTimes | kRightFdFilestatGet | kRightFdFilestatSetTimes | kRightPathSymlink |
    kRightPathRemoveDirectory | kRightPathUnlinkFile | kRightPollFdReadwrite;
constexpr Rights kCharDeviceRights = kRightFdRead | kRightFdWrite | kRightFdFdstatSetFlags |
                                     kRightFdFilestatGet | kRightPollFdReadwrite;
constexpr Rights kSocketRights = kRightFdRead | kRightFdWrite | kRightFdFdstatSetFlags | kRightFdFilestatGet |
                                 kRightPollFdReadwrite | kRightSockShutdown | kRightSockAccept;

// filetype (enum u8)
enum : uint8_t {
  kFiletypeUnknown = 0, kFiletypeBlockDevice = 1, kFiletypeCharacterDevice = 2, kFiletypeDirectory = 3,
  kFiletypeRegularFile = 4, kFiletypeSocketDgram = 5, kFiletypeSocketStream = 6, kFiletypeSymbolicLink = 7,
};

// fdflags (flags u16)
enum : uint16_t { kFdflagAppend = 1, kFdflagDsync = 2, kFdflagNonblock = 4, kFdflagRsync = 8, kFdflagSync = 16 };
// oflags (flags u16)
enum : uint16_t { kOflagCreat = 1, kOflagDirectory = 2, kOflagExcl = 4, kOflagTrunc = 8 };
// lookupflags (flags u32)
enum : uint32_t { kLookupSymlinkFollow = 1 };
// fstflags (flags u16)
enum : uint16_t { kFstAtim = 1, kFstAtimNow = 2, kFstMtim = 4, kFstMtimNow = 8 };
// whence (enum u8)
enum : uint8_t { kWhenceSet = 0, kWhenceCur = 1, kWhenceEnd = 2 };
// advice (enum u8): normal .. noreuse
constexpr uint8_t kAdviceMax = 5;
// clockid (enum u32)
enum : uint32_t { kClockRealtime = 0, kClockMonotonic = 1, kClockProcessCputime = 2, kClockThreadCputime = 3 };
// eventtype (enum u8)
enum : uint8_t { kEventClock = 0, kEventFdRead = 1, kEventFdWrite = 2 };
// subclockflags (flags u16)
enum : uint16_t { kSubclockAbstime = 1 };
// eventrwflags (flags u16)
enum : uint16_t { kEventFdReadwriteHangup = 1 };
// riflags, roflags, sdflags
enum : uint16_t { kRecvPeek = 1, kRecvWaitall = 2 };
enum : uint16_t { kRecvDataTruncated = 1 };
enum : uint8_t { kShutRd = 1, kShutWr = 2 };
// preopentype (enum u8)
enum : uint8_t { kPreopenDir = 0 };

// Structure sizes (bytes) in guest memory.
constexpr uint32_t kIovecSize = 8;       // buf u32 @0, buf_len u32 @4
constexpr uint32_t kFdstatSize = 24;     // filetype u8 @0, flags u16 @2, base u64 @8, inheriting u64 @16
constexpr uint32_t kFilestatSize = 64;   // dev @0 ino @8 filetype u8 @16 nlink @24 size @32 atim @40 mtim @48 ctim @56
constexpr uint32_t kDirentSize = 24;     // d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20
constexpr uint32_t kPrestatSize = 8;     // tag u8 @0, pr_name_len u32 @4
constexpr uint32_t kSubscriptionSize = 48;  // userdata @0, tag u8 @8, clock{id u32 @16, timeout @24, precision @32, flags u16 @40} | fd u32 @16
constexpr uint32_t kEventSize = 32;      // userdata @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24

// Maps a host errno value to preview1's.
Errno fromHostErrno(int e);

}  // namespace orca::wasi::abi
