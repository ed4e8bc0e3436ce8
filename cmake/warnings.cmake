# The one warning list. CI (ROLLCALL_WERROR=ON) turns them into errors.
# -Wswitch-enum is not used: enums are switched without `default:` and -Wswitch
# (in -Wall) already breaks the build when a stored value is not handled.
set(ROLLCALL_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wimplicit-fallthrough -Werror=switch
    -Wno-missing-field-initializers)
if(ROLLCALL_WERROR)
  list(APPEND ROLLCALL_WARNINGS -Werror)
endif()

# Applies the warning list to one of our own targets (not to third-party code).
function(rollcall_warnings target)
  target_compile_options(${target} PRIVATE ${ROLLCALL_WARNINGS})
endfunction()

# The sanitizer build compiles the libraries that do the heavy lifting at run
# time (the rules core, the JSON reader and writer, the columnar engine) at
# -O1, as AddressSanitizer's own documentation advises: their tests replay
# whole schools and LAs, which at -O0 under the sanitizers took minutes. Every
# check stays on; only the debugger sees less of these three. They keep the
# three UBSan checks the other targets leave out (CMakeLists.txt): this is
# where the arithmetic is.
function(rollcall_sanitized_hot target)
  if(ROLLCALL_SANITIZE)
    target_compile_options(${target} PRIVATE $<$<CONFIG:Debug>:-O1>
                           -fsanitize=alignment,null,pointer-overflow)
  endif()
endfunction()

# The release build compiles the rules core, the JSON reader and writer and the
# columnar engine at -O3 (CMake's Release default), and the layers above them
# (store, services, web, letters, demo, command line), which spend their time in
# SQLite, sockets and string building, at -O2: that compiles the web library
# about 20% faster, and the page and mark benchmarks do not tell the two apart
# (docs/architecture.md section 5).
function(rollcall_release_o2 target)
  target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-O2>)
endfunction()
