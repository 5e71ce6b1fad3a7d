# man_page.cmake - the generated man page lists exactly the options that
# each command's --help lists, and groff renders it without a warning.
#
#   cmake -DKGRAPH=path/to/kgraph -DMAN=path/to/kgraph.1 [-DGROFF=path/to/groff] -P man_page.cmake
#
# Both are written from the same option tables (src/cli/options.h); this
# catches a writer that leaves an option or a command out.

# Text as a list of lines (semicolons, which would split a list, dropped).
function(lines_of text out)
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The options a --help text lists: "  -o, --output OUT", "  -k N", "      --all".
function(help_options text out)
  lines_of("${text}" lines)
  set(found "")
  foreach(l IN LISTS lines)
    # (if() evaluates both sides of an OR, and the second would clear
    # the first's matches.)
    if(l MATCHES "^  (-[A-Za-z])(, (--[a-z-]+))?")
      list(APPEND found ${CMAKE_MATCH_1} ${CMAKE_MATCH_3})
    elseif(l MATCHES "^      (--[a-z-]+)")
      list(APPEND found ${CMAKE_MATCH_1})
    endif()
  endforeach()
  list(SORT found)
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

# The options of each man page section: the line after each .TP, under
# .SH OPTIONS (kgraph's own, as "main") or .SS "kgraph COMMAND".
file(READ "${MAN}" man)
string(REPLACE "\\-" "-" man "${man}")
string(REGEX REPLACE "\\\\f[BIR]" "" man "${man}")
lines_of("${man}" lines)
set(section "")
set(after_tp FALSE)
foreach(l IN LISTS lines)
  if(l MATCHES "^\\.SH OPTIONS")
    set(section main)
  elseif(l MATCHES "^\\.SS \"kgraph ([a-z]+)\"")
    set(section ${CMAKE_MATCH_1})
  elseif(l MATCHES "^\\.S[HS]")
    set(section "")
  elseif(l STREQUAL ".TP")
    set(after_tp TRUE)
    continue()
  elseif(after_tp AND section)
    string(REGEX MATCHALL "(^|[ ,])--?[A-Za-z][a-z-]*" names "${l}")
    foreach(n ${names})
      string(REGEX REPLACE "^[ ,]+" "" n "${n}")
      list(APPEND man_${section} ${n})
    endforeach()
  endif()
  set(after_tp FALSE)
endforeach()

set(failed "")
execute_process(COMMAND "${KGRAPH}" --help OUTPUT_VARIABLE main)
string(REGEX MATCHALL "\n  ([a-z]+)  " cmds "${main}")
help_options("${main}" want)
list(SORT man_main)
if(NOT want STREQUAL man_main OR NOT want)
  string(APPEND failed "kgraph --help lists [${want}], the man page's OPTIONS [${man_main}]\n")
endif()
foreach(c ${cmds})
  string(STRIP "${c}" c)
  execute_process(COMMAND "${KGRAPH}" help ${c} OUTPUT_VARIABLE text)
  help_options("${text}" want)
  list(SORT man_${c})
  if(NOT want STREQUAL man_${c} OR NOT want)
    string(APPEND failed "kgraph ${c} --help lists [${want}], the man page [${man_${c}}]\n")
  endif()
endforeach()

if(GROFF)
  execute_process(COMMAND "${GROFF}" -man -Tutf8 -ww -z "${MAN}" RESULT_VARIABLE rc ERROR_VARIABLE warnings)
  if(NOT rc EQUAL 0 OR warnings)
    string(APPEND failed "groff -man -Tutf8 -ww: exit ${rc}\n${warnings}")
  endif()
endif()
if(failed)
  message(FATAL_ERROR "${failed}")
endif()
list(LENGTH cmds n)
message(STATUS "the man page lists what --help lists, for kgraph and its ${n} commands")
