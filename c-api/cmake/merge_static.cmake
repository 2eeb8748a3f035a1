# Makes the self-contained liborca.a (cmake -P, called by c-api/CMakeLists.txt):
#   1. one relocatable object from the C API's objects and every archive they need (Orca's stages,
#      LLVM, zstd, zlib, libcrypto), unused sections dropped, common symbols given space, and
#      the code that runs at startup (static initializers, then the functions startup-order.txt
#      names) first, so that a program touches few pages of it when it starts;
#   2. every symbol but the C API's (the families liborca.map exports) made local, debug info
#      dropped, so the archive cannot clash with another copy of LLVM, zstd or OpenSSL that the
#      program links;
#   3. that one object in an archive.
# A program then links it with `cc app.c liborca.a -lstdc++ -lm -lpthread -ldl` and nothing else.
#
# Inputs: LD (GNU ld: lld cannot give common symbols space in a relocatable link), OBJCOPY, AR,
# NM, MAP (liborca.map), ORDER (startup-order.txt), OBJECTS and ARCHIVES (|-separated lists), WORK
# (a scratch folder; WORK/orca.o keeps the merged object before localizing, for
# ci/startup-order.sh), OUTPUT.
foreach(var LD OBJCOPY AR NM MAP ORDER OBJECTS ARCHIVES WORK OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "merge_static.cmake: ${var} is not set")
  endif()
endforeach()
string(REPLACE "|" ";" OBJECTS "${OBJECTS}")
string(REPLACE "|" ";" ARCHIVES "${ARCHIVES}")
file(MAKE_DIRECTORY ${WORK})

# The exported families, as in the version script: the "wasm_*;" and "orca_version;" lines of its
# global block (comments are on lines of their own).
file(STRINGS ${MAP} map_lines)
set(patterns "")
set(in_global FALSE)
foreach(line IN LISTS map_lines)
  if(line MATCHES "^[ \t]*global:")
    set(in_global TRUE)
  elseif(line MATCHES "^[ \t]*local:")
    set(in_global FALSE)
  elseif(in_global AND line MATCHES "^[ \t]*([A-Za-z0-9_]+\\*?);[ \t]*$")
    list(APPEND patterns "${CMAKE_MATCH_1}")
  endif()
endforeach()
if(NOT patterns)
  message(FATAL_ERROR "merge_static.cmake: no exported family found in ${MAP}")
endif()
set(keep "")
set(regexes "")
foreach(p IN LISTS patterns)
  string(APPEND keep "${p}\n")
  string(REPLACE "*" ".*" r "${p}")
  list(APPEND regexes "^${r}$")
endforeach()
file(WRITE ${WORK}/keep-global.txt "${keep}")

# The roots of the partial link: every exported function the C API's objects define.
execute_process(COMMAND ${NM} -g --defined-only --format=posix ${OBJECTS}
  OUTPUT_VARIABLE defined RESULT_VARIABLE status)
if(status)
  message(FATAL_ERROR "nm failed on the C API objects")
endif()
string(REPLACE "\n" ";" defined "${defined}")
set(roots "")
foreach(line IN LISTS defined)
  string(REGEX MATCH "^[^ ]+" name "${line}")
  foreach(r IN LISTS regexes)
    if(name MATCHES "${r}")
      string(APPEND roots "-u ${name}\n")
      break()
    endif()
  endforeach()
endforeach()
if(roots STREQUAL "")
  message(FATAL_ERROR "merge_static.cmake: no exported symbol found in the C API objects")
endif()
file(WRITE ${WORK}/roots.rsp "${roots}")

# One section per function in the inputs: a linker script puts the startup functions' sections
# first in one .text (names a script cannot spell, and those absent, are simply not placed early).
file(STRINGS ${ORDER} startup)
set(script "SECTIONS\n{\n  .text : {\n    *(.text.startup .text.startup.*)\n")
foreach(name IN LISTS startup)
  if(name MATCHES "^[A-Za-z0-9_.$]+$")
    string(APPEND script "    *(.text.${name})\n")
  endif()
endforeach()
string(APPEND script "    *(.text .text.*)\n  }\n}\n")
file(WRITE ${WORK}/startup-order.ld "${script}")

set(merged ${WORK}/orca.o)
execute_process(COMMAND ${LD} -r -d --gc-sections --force-group-allocation @${WORK}/roots.rsp
    -T ${WORK}/startup-order.ld -o ${merged} ${OBJECTS} --start-group ${ARCHIVES} --end-group
  RESULT_VARIABLE status)
if(status)
  message(FATAL_ERROR "the partial link of liborca.a failed")
endif()
set(localized ${WORK}/orca-local.o)
execute_process(COMMAND ${OBJCOPY} --strip-debug --wildcard --keep-global-symbols=${WORK}/keep-global.txt
    --strip-unneeded ${merged} ${localized} RESULT_VARIABLE status)
if(status)
  message(FATAL_ERROR "localizing liborca.a's internal symbols failed")
endif()
file(REMOVE ${OUTPUT})
execute_process(COMMAND ${AR} qcs ${OUTPUT} ${localized} RESULT_VARIABLE status)
if(status)
  message(FATAL_ERROR "writing ${OUTPUT} failed")
endif()
