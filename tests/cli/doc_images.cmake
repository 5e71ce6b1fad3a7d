# doc_images.cmake - the pictures in docs/images are what the current code
# draws: each is rendered again and compared byte for byte.
#
#   cmake -DKGRAPH=path/to/kgraph -DROOT=project/root [-DUPDATE=1] -P doc_images.cmake
#
# SVG geometry depends on the installed fonts (scripts/setup installs
# Debian's); with -DUPDATE=1 the pictures are rewritten (review them!).
set(G graphs/ukraine-long-range-strikes-2024.yaml)
set(images
  "ukraine-biden.svg render --focus biden --depth 1 ${G}"
  "ukraine-path-starmer-atacms.svg render --path starmer atacms --focus biden,starmer --depth 1 ${G}"
  "ukraine-path-only.svg render --path starmer atacms --path-only --credit ${G}"
  "ukraine-full.svg render ${G}"
  "ukraine-timeline.svg render --timeline ${G}"
  # docs/rendering.md, "Layouts that stay put": an older version drawn with
  # --layout, then the newer one as a diff from the same layout file (made
  # afresh for each run: the pictures come in this order), and without it
  "layout-1.png render --focus keir_starmer --depth 1 --layout @LAYOUT@ --include-path graphs docs/images/layout-old.yaml"
  "layout-2.png render --focus keir_starmer --depth 1 --diff docs/images/layout-old.yaml --include-path graphs --layout @LAYOUT@ ${G} docs/images/layout-added.yaml"
  "layout-2-fresh.png render --focus keir_starmer --depth 1 --diff docs/images/layout-old.yaml --include-path graphs ${G} docs/images/layout-added.yaml")
set(layout "${CMAKE_CURRENT_BINARY_DIR}/doc-images.layout")
file(REMOVE "${layout}")
set(failed "")
foreach(entry ${images})
  string(REPLACE "@LAYOUT@" "${layout}" entry "${entry}")
  separate_arguments(parts UNIX_COMMAND "${entry}")
  list(GET parts 0 name)
  list(SUBLIST parts 1 -1 args)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/doc-image-${name}")
  if(UPDATE)
    set(out "${ROOT}/docs/images/${name}")
  endif()
  execute_process(COMMAND "${KGRAPH}" ${args} -o "${out}" WORKING_DIRECTORY "${ROOT}"
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(APPEND failed "kgraph ${args}: exit ${rc}\n${err}")
  elseif(NOT UPDATE)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${out}" "${ROOT}/docs/images/${name}"
                    RESULT_VARIABLE differ)
    if(differ)
      string(APPEND failed "docs/images/${name} is not what 'kgraph ${args}' draws now\n")
    endif()
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "${failed}")
endif()
