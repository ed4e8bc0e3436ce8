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
