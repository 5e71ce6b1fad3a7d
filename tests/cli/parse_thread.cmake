# parse_thread.cmake - parsing in a second thread changes nothing: every
# YAML file the tests and examples have (the golden cases' inputs, good
# and broken, the shipped graphs, the fuzzers' regressions) is checked
# with KGRAPH_PARSE_THREAD=on and =off, and the two runs must print the
# same output and diagnostics and exit with the same status. A few files
# are also listed, which walks every entity and relation of the graph.
#
# The cases' inputs are tests/cli/inputs and, for those written inside the
# cases, GOLDEN_INPUTS (the build writes each case's files in a folder).
#
#   cmake -DKGRAPH=path/to/kgraph -DROOT=source/dir -DGOLDEN_INPUTS=dir -P parse_thread.cmake
file(GLOB_RECURSE files "${ROOT}/tests/cli/inputs/*.yaml" "${GOLDEN_INPUTS}/*.yaml" "${ROOT}/graphs/*.yaml"
     "${ROOT}/examples/*.yaml" "${ROOT}/tests/fuzz/regressions/*")
list(SORT files)
set(failed "")
set(count 0)
foreach(f ${files})
  get_filename_component(dir "${f}" DIRECTORY)
  set(commands "check")
  if(f MATCHES "/graphs/|/examples/")
    list(APPEND commands "list --relations --format tsv")
  endif()
  foreach(command ${commands})
    separate_arguments(args UNIX_COMMAND "${command}")
    foreach(mode on off)
      execute_process(COMMAND ${CMAKE_COMMAND} -E env KGRAPH_PARSE_THREAD=${mode} "${KGRAPH}" ${args} "${f}"
                      WORKING_DIRECTORY "${dir}"
                      OUTPUT_VARIABLE out_${mode} ERROR_VARIABLE err_${mode} RESULT_VARIABLE rc_${mode})
    endforeach()
    math(EXPR count "${count} + 1")
    if(NOT rc_on STREQUAL rc_off OR NOT out_on STREQUAL out_off OR NOT err_on STREQUAL err_off)
      string(APPEND failed "${command} ${f}: on: exit ${rc_on}\n${out_on}${err_on}\noff: exit ${rc_off}\n${out_off}${err_off}\n")
    endif()
  endforeach()
endforeach()
if(count LESS 50)
  message(FATAL_ERROR "only ${count} runs: are the inputs where this script looks?")
endif()
if(failed)
  message(FATAL_ERROR "KGRAPH_PARSE_THREAD=on and =off differ:\n${failed}")
endif()
message(STATUS "${count} runs, the same with and without the parser thread")
