# help_examples.cmake - every example in kgraph's --help texts must run.
#
#   cmake -DKGRAPH=path/to/kgraph -DROOT=project/root -P help_examples.cmake
#
# Takes the lines under "Example:"/"Examples:" of `kgraph --help` and of
# `kgraph help COMMAND` for each command, runs them with sh from the
# project root (kgraph replaced by the built binary) and fails on a
# non-zero exit (but for kgraph diff's 1, "different").
execute_process(COMMAND "${KGRAPH}" --help OUTPUT_VARIABLE main)
string(REGEX MATCHALL "\n  ([a-z]+)  " cmds "${main}")
set(texts "${main}")
foreach(c ${cmds})
  string(STRIP "${c}" c)
  execute_process(COMMAND "${KGRAPH}" help ${c} OUTPUT_VARIABLE t)
  string(APPEND texts "\n${t}")
endforeach()

string(REPLACE "\n" ";" lines "${texts}")
set(in_examples FALSE)
set(count 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^Examples?:")
    set(in_examples TRUE)
  elseif(in_examples AND line MATCHES "^  kgraph (.*)$")
    set(cmd "'${KGRAPH}' ${CMAKE_MATCH_1}")
    execute_process(COMMAND sh -c "${cmd}" WORKING_DIRECTORY "${ROOT}"
                    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    # kgraph diff answers "they differ" with 1, as diff(1) does.
    if(NOT rc EQUAL 0 AND NOT (rc EQUAL 1 AND line MATCHES "^  kgraph diff "))
      message(FATAL_ERROR "help example failed (exit ${rc}): kgraph ${CMAKE_MATCH_1}\n${err}")
    endif()
    math(EXPR count "${count} + 1")
  elseif(NOT line MATCHES "^  ")
    set(in_examples FALSE)
  endif()
endforeach()
if(count LESS 2)
  message(FATAL_ERROR "found only ${count} help examples; is the help format changed?")
endif()
message(STATUS "${count} help examples ran")
