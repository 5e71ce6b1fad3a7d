# tests/layout.cmake - the layout rules of STYLE.md, checked on the
# #include lines of src/ and include/ (ctest layout.third_party_includes).
#
#   cmake -DROOT=<checkout> -P tests/layout.cmake
#   cmake -DSELF_TEST=ON -DWORK=<scratch dir> -P tests/layout.cmake
#
# Rules:
# - libyaml (<yaml.h>) is included only by the event reader,
#   src/load/events.c;
# - Graphviz (<gvc.h>, <cgraph.h>, <cdt.h>, <graphviz/...>) by exactly one
#   file, under src/render/ (its back end, whatever it is called);
# - utf8proc (<utf8proc.h>) only by src/util/fold.c;
# - libpq (<libpq-fe.h>, <libpq/...>) only under src/db/;
# - xxHash (<xxhash.h>) only by src/cli/cache.c, the snapshot cache;
# - libexpat (<expat.h>) only by src/import/graphml.c;
# - no public header (include/) includes any of them;
# - arrows point down: a file under src/STAGE/ includes no "OTHER/..."
#   header of a stage above its own (util < core < load, check, query, diff <
#   render < cli). An include without a folder ("cli.h") is the file's
#   own folder's.
# The self-test writes a tree that breaks each rule and checks that each
# break is reported, so this test cannot pass by finding nothing.

# The rank of each stage. The folders to come (issue 11) are here so
# that adding one does not need this file.
set(stage_rank_util 0)
set(stage_rank_core 1)
foreach(s load check query snapshot db match diff)
  set(stage_rank_${s} 2)
endforeach()
set(stage_rank_render 3)
set(stage_rank_export 3)
set(stage_rank_import 3)
set(stage_rank_cli 4)

# Append to out_var one line per broken rule in the tree at root.
function(check_layout root out_var)
  set(problems "")
  set(gv_files "")
  file(GLOB_RECURSE files RELATIVE ${root} ${root}/src/*.c ${root}/src/*.h ${root}/include/*.h)
  foreach(f ${files})
    file(STRINGS ${root}/${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    string(REGEX MATCH "^src/([^/]+)/" in_src "${f}")
    set(stage "${CMAKE_MATCH_1}")
    foreach(line ${lines})
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"].*$" "\\1" inc "${line}")
      if(inc STREQUAL "yaml.h" AND NOT f STREQUAL "src/load/events.c")
        list(APPEND problems "${f}: includes <yaml.h> (only src/load/events.c may)")
      endif()
      if(inc MATCHES "^(gvc|cgraph|cdt)\\.h$" OR inc MATCHES "^graphviz/")
        if(NOT f MATCHES "^src/render/")
          list(APPEND problems "${f}: includes <${inc}> (only the Graphviz back end in src/render/ may)")
        endif()
        list(APPEND gv_files ${f})
      endif()
      if(inc STREQUAL "utf8proc.h" AND NOT f STREQUAL "src/util/fold.c")
        list(APPEND problems "${f}: includes <utf8proc.h> (only src/util/fold.c may)")
      endif()
      if(inc STREQUAL "xxhash.h" AND NOT f STREQUAL "src/cli/cache.c")
        list(APPEND problems "${f}: includes <xxhash.h> (only src/cli/cache.c may)")
      endif()
      if(inc STREQUAL "expat.h" AND NOT f STREQUAL "src/import/graphml.c")
        list(APPEND problems "${f}: includes <expat.h> (only src/import/graphml.c may)")
      endif()
      if((inc STREQUAL "libpq-fe.h" OR inc MATCHES "^libpq/") AND NOT f MATCHES "^src/db/")
        list(APPEND problems "${f}: includes <${inc}> (only src/db/ may)")
      endif()
      # A stage's header: "stage/...", also reached through "../stage/...".
      if(stage AND line MATCHES "\"" AND inc MATCHES "^(\\.\\./)*([a-z_]+)/")
        set(to "${CMAKE_MATCH_2}")
        if(DEFINED stage_rank_${to} AND NOT DEFINED stage_rank_${stage})
          list(APPEND problems "${f}: src/${stage}/ is not a known stage (add it to tests/layout.cmake)")
        elseif(DEFINED stage_rank_${to} AND stage_rank_${to} GREATER stage_rank_${stage})
          list(APPEND problems "${f}: includes \"${inc}\", from ${to}/, a stage above ${stage}/")
        endif()
      endif()
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES gv_files)
  list(LENGTH gv_files n)
  if(n GREATER 1)
    string(REPLACE ";" ", " names "${gv_files}")
    list(APPEND problems "Graphviz is included by ${n} files (${names}), not one back end")
  endif()
  set(${out_var} "${problems}" PARENT_SCOPE)
endfunction()

if(NOT SELF_TEST)
  check_layout(${ROOT} problems)
  if(problems)
    string(REPLACE ";" "\n  " text "${problems}")
    message(FATAL_ERROR "layout rules broken:\n  ${text}")
  endif()
  return()
endif()

# ---- self-test: one break of each rule -----------------------------------
file(REMOVE_RECURSE ${WORK})
foreach(d src/util src/core src/load src/query src/snapshot src/db src/render src/import src/export src/cli include/kgraph)
  file(MAKE_DIRECTORY ${WORK}/${d})
endforeach()
file(WRITE ${WORK}/src/load/events.c "#include <yaml.h>\n")         # allowed
file(WRITE ${WORK}/src/util/fold.c "#include <utf8proc.h>\n")       # allowed
file(WRITE ${WORK}/src/render/gv_backend.c "#include <gvc.h>\n")    # allowed
file(WRITE ${WORK}/src/db/db_conn.c "#include <libpq-fe.h>\n")       # allowed
file(WRITE ${WORK}/src/cli/cache.c "#include <xxhash.h>\n")          # allowed
file(WRITE ${WORK}/src/snapshot/write.c "#include <xxhash.h>\n")
file(WRITE ${WORK}/src/cli/cmd_push.c "#include <libpq-fe.h>\n")
file(WRITE ${WORK}/src/import/graphml.c "#include <expat.h>\n#include \"load/loader.h\"\n") # allowed
file(WRITE ${WORK}/src/export/graphml.c "#include <expat.h>\n")
file(WRITE ${WORK}/src/load/values.c "#include \"load/loader.h\"\n#include \"core/graph_internal.h\"\n") # allowed
file(WRITE ${WORK}/src/load/alias.c "#  include <yaml.h>\n")
file(WRITE ${WORK}/src/render/dot.c "#include <graphviz/cgraph.h>\n")
file(WRITE ${WORK}/src/query/paths.c "#include <utf8proc.h>\n#include \"render/render_internal.h\"\n")
file(WRITE ${WORK}/src/core/graph.c "#include \"load/loader.h\"\n")
file(WRITE ${WORK}/src/util/util.c "#include \"../cli/cli.h\"\n")
file(WRITE ${WORK}/include/kgraph/graph.h "#include <cgraph.h>\n")
check_layout(${WORK} problems)
# Messages hold no ';', so the list splits one per problem.
string(REPLACE ";" "\n" text "\n${problems}")
foreach(want
    "src/load/alias.c: includes <yaml.h>"
    "src/query/paths.c: includes <utf8proc.h>"
    "src/query/paths.c: includes \"render/render_internal.h\", from render/, a stage above query/"
    "src/core/graph.c: includes \"load/loader.h\", from load/, a stage above core/"
    "src/util/util.c: includes \"../cli/cli.h\", from cli/, a stage above util/"
    "include/kgraph/graph.h: includes <cgraph.h>"
    "src/cli/cmd_push.c: includes <libpq-fe.h>"
    "src/snapshot/write.c: includes <xxhash.h>"
    "src/export/graphml.c: includes <expat.h>"
    "Graphviz is included by 3 files")
  string(FIND "${text}" "${want}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "self-test: not reported: ${want}\nreported:\n${text}")
  endif()
endforeach()
foreach(allowed src/load/events.c src/util/fold.c src/load/values.c src/render/gv_backend.c src/db/db_conn.c
               src/cli/cache.c src/import/graphml.c)
  string(FIND "${text}" "\n${allowed}:" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "self-test: reported an allowed include (${allowed}):\n${text}")
  endif()
endforeach()
list(LENGTH problems n)
if(NOT n EQUAL 10)
  message(FATAL_ERROR "self-test: wanted 10 problems, got ${n}:\n${text}")
endif()
