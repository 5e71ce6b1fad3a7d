# generate.cmake - write what `kgraph --generate WHAT` prints to OUT, at
# build time (the man page and the shell completions; src/cli/generate.c).
#
#   cmake -DKGRAPH=path/to/kgraph -DWHAT=man|bash|zsh|fish -DOUT=file -P generate.cmake
execute_process(COMMAND "${KGRAPH}" --generate ${WHAT} OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "kgraph --generate ${WHAT} failed (exit ${rc})")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
