# git_diff.cmake - kgraph diff as git's diff driver (docs/diff.md), run by
# a real `git diff` in a temporary repository (ctest cli.git_diff).
#
#   cmake -DKGRAPH=<kgraph> -DSRC=<source root> -DWORK=<scratch dir> -P git_diff.cmake
#
# A commit of a graph, then an edit (a name changed, an entity added): the
# driver must show kgraph's diff, labelled with the path in the repository,
# and git must exit 0 as it does for any diff; a new file (old side
# /dev/null) must show everything added.
find_program(GIT git REQUIRED)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
function(git)
  execute_process(COMMAND ${GIT} -c user.name=t -c user.email=t@invalid ${ARGN} WORKING_DIRECTORY ${WORK}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "git ${ARGN} failed (${rc}): ${out}${err}")
  endif()
  set(git_out "${out}" PARENT_SCOPE)
endfunction()

set(graph "entities:\n  ada: {type: person, name: Ada Lin}\n  bob: {type: person, name: Bob}\nrelations:\n  - [ada, knows, bob, {date: 2024}]\n")
git(init -q)
git(config diff.kgraph.command "${SRC}/scripts/git-diff-kgraph")
file(WRITE ${WORK}/.gitattributes "*.yaml diff=kgraph\n")
file(WRITE ${WORK}/g.yaml "${graph}")
git(add .)
git(commit -q -m one)
string(REPLACE "Ada Lin" "Ada Lin-Smith" graph "${graph}")
string(REPLACE "name: Bob}\n" "name: Bob}\n  cy: {type: person, name: Cy}\n" graph "${graph}")
file(WRITE ${WORK}/g.yaml "${graph}")
file(WRITE ${WORK}/h.yaml "entities:\n  eve: {type: person, name: Eve}\n")
git(add h.yaml)
set(ENV{KGRAPH} ${KGRAPH})
git(diff HEAD)
set(want "--- a/g.yaml\n+++ b/g.yaml\n~ entity ada  a/g.yaml:2 -> b/g.yaml:2\n    name: \"Ada Lin\" -> \"Ada Lin-Smith\"\n")
string(FIND "${git_out}" "${want}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "git diff did not show kgraph's diff of g.yaml; it printed:\n${git_out}")
endif()
# The new file: everything added, against /dev/null.
string(FIND "${git_out}" "--- a/h.yaml\n+++ b/h.yaml\n+ entity eve  b/h.yaml:2\n" at)
if(at EQUAL -1)
  message(FATAL_ERROR "git diff did not show h.yaml as added; it printed:\n${git_out}")
endif()
