# run_case.cmake - one golden CLI test: run kgraph with a case's arguments
# and compare stdout, stderr and the exit code with the expected files.
#
#   cmake -DKGRAPH=path/to/kgraph -DCASE=path/to/cases/NAME [-DUPDATE=1] -P run_case.cmake
#
# A case is NAME.args (one argument per line; the command runs in the
# case's folder, so paths in messages stay short), optional NAME.stdin,
# and the expectations NAME.out, NAME.err and NAME.code. With -DUPDATE=1
# the expectations are rewritten from the actual run (review the diff!).
# The environment variable KGRAPH_WRAPPER, when set, is a command that runs
# kgraph (e.g. "valgrind -q --error-exitcode=99 ..."), so that the whole
# suite can run under valgrind.
get_filename_component(dir "${CASE}" DIRECTORY)
get_filename_component(name "${CASE}" NAME)

file(STRINGS "${CASE}.args" args ENCODING UTF-8)
set(input "")
if(EXISTS "${CASE}.stdin")
  set(input INPUT_FILE "${CASE}.stdin")
else()
  set(input INPUT_FILE /dev/null)
endif()

set(wrapper "")
if(DEFINED ENV{KGRAPH_WRAPPER})
  separate_arguments(wrapper UNIX_COMMAND "$ENV{KGRAPH_WRAPPER}")
endif()

execute_process(
  COMMAND ${wrapper} "${KGRAPH}" ${args}
  WORKING_DIRECTORY "${dir}"
  ${input}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE code
  TIMEOUT 60)

if(UPDATE)
  file(WRITE "${CASE}.out" "${out}")
  file(WRITE "${CASE}.err" "${err}")
  file(WRITE "${CASE}.code" "${code}\n")
  return()
endif()

set(failed "")
foreach(stream out err)
  set(expected "")
  if(EXISTS "${CASE}.${stream}")
    file(READ "${CASE}.${stream}" expected)
  endif()
  if(NOT "${${stream}}" STREQUAL "${expected}")
    string(APPEND failed "--- expected std${stream}:\n${expected}--- actual std${stream}:\n${${stream}}")
  endif()
endforeach()
file(READ "${CASE}.code" expected_code)
string(STRIP "${expected_code}" expected_code)
if(NOT "${code}" STREQUAL "${expected_code}")
  string(APPEND failed "--- expected exit code ${expected_code}, got ${code}\n")
endif()
if(failed)
  message(FATAL_ERROR "case ${name} failed:\n${failed}")
endif()
