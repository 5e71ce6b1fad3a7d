# doc_examples.cmake - every example in a document's code blocks must run
# and print what the document shows.
#
#   cmake -DKGRAPH=path/to/kgraph -DROOT=project/root -DDOC=docs/queries.md -P doc_examples.cmake
#
# Inside fenced code blocks (``` lines) of DOC, a line starting with
# "$ kgraph " is a command; the lines after it, up to the next "$ " line or
# the end of the block, are its expected output (stdout and stderr as they
# interleave). Each command runs with sh from ROOT, kgraph replaced by the
# built binary; its output must equal the expected lines exactly.
#
# The text is walked with string(FIND) rather than split into a CMake
# list: a list would split output at ';' and keep '[...]' together.
file(READ "${ROOT}/${DOC}" text)
string(APPEND text "\n")

set(in_block FALSE)
set(cmd "")
set(expected "")
set(count 0)
set(failed "")

# Run the pending command, if any, and compare its output.
macro(finish_command)
  if(NOT cmd STREQUAL "")
    execute_process(COMMAND sh -c "'${KGRAPH}' ${cmd}" WORKING_DIRECTORY "${ROOT}"
                    OUTPUT_VARIABLE actual ERROR_VARIABLE actual TIMEOUT 60)
    if(NOT actual STREQUAL expected)
      string(APPEND failed "--- $ kgraph ${cmd}\n--- expected:\n${expected}--- actual:\n${actual}")
    endif()
    math(EXPR count "${count} + 1")
    set(cmd "")
    set(expected "")
  endif()
endmacro()

set(pos 0)
string(LENGTH "${text}" len)
while(pos LESS len)
  string(SUBSTRING "${text}" ${pos} -1 rest)
  string(FIND "${rest}" "\n" nl)
  string(SUBSTRING "${rest}" 0 ${nl} line)
  math(EXPR pos "${pos} + ${nl} + 1")

  if(line MATCHES "^```")
    if(in_block)
      finish_command()
      set(in_block FALSE)
    else()
      set(in_block TRUE)
    endif()
  elseif(in_block AND line MATCHES "^\\$ kgraph (.*)$")
    finish_command()
    set(cmd "${CMAKE_MATCH_1}")
  elseif(in_block AND line MATCHES "^\\$ ")
    finish_command()
  elseif(in_block AND NOT cmd STREQUAL "")
    string(APPEND expected "${line}\n")
  endif()
endwhile()

if(failed)
  message(FATAL_ERROR "examples in ${DOC} do not match:\n${failed}")
endif()
if(count LESS 1)
  message(FATAL_ERROR "found no examples in ${DOC}; is its format changed?")
endif()
message(STATUS "${count} examples in ${DOC} ran")
