# Install kgraph into a temporary root and build examples/api/shortest.c
# against it twice, as another program would: once with pkg-config, once
# with find_package(kgraph). Both must run and print a path.
#   cmake -DBUILD=... -DROOT=source -DWORK=dir -DCC=cc -DPREFIX=/usr/local
#         -DLIBDIR=/usr/local/lib -DGRAPH=x.yaml -P install.cmake
# The install goes under WORK/root with DESTDIR; PKG_CONFIG_SYSROOT_DIR
# then maps the .pc file's absolute paths into it.
cmake_policy(SET CMP0057 NEW)
file(REMOVE_RECURSE ${WORK})
set(dest ${WORK}/root)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run("install" ${CMAKE_COMMAND} -E env DESTDIR=${dest} ${CMAKE_COMMAND} --install ${BUILD})
foreach(f ${PREFIX}/include/kgraph/version.h ${LIBDIR}/pkgconfig/kgraph.pc ${LIBDIR}/cmake/kgraph/kgraphConfig.cmake
          ${PREFIX}/share/doc/kgraph/LICENSE ${PREFIX}/share/doc/kgraph/graphs/ukraine-long-range-strikes-2024.yaml
          ${PREFIX}/share/doc/kgraph/examples/api/shortest.c ${PREFIX}/bin/kgraph)
  if(NOT EXISTS ${dest}${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()

# 1. pkg-config, exactly as its documentation says: cc $(pkg-config ...)
run("pkg-config" ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${dest}${LIBDIR}/pkgconfig PKG_CONFIG_SYSROOT_DIR=${dest}
    pkg-config --cflags --libs kgraph)
string(STRIP "${out}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run("cc with pkg-config" ${CC} ${ROOT}/examples/api/shortest.c ${flags} -o ${WORK}/shortest-pkgconfig)

# 2. CMake's find_package(kgraph), with examples/api/CMakeLists.txt.
run("cmake configure" ${CMAKE_COMMAND} -S ${ROOT}/examples/api -B ${WORK}/cmake -DCMAKE_C_COMPILER=${CC}
    -DCMAKE_PREFIX_PATH=${dest}${PREFIX})
run("cmake build" ${CMAKE_COMMAND} --build ${WORK}/cmake)

foreach(program ${WORK}/shortest-pkgconfig ${WORK}/cmake/shortest)
  run("${program}" ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${dest}${LIBDIR} ${program} ${GRAPH} biden zelenskyy)
  if(NOT out MATCHES "^Joe Biden .*-> .*Zelenskyy\n$")
    message(FATAL_ERROR "${program} printed no path:\n${out}")
  endif()
  message(STATUS "${program}: ${out}")
endforeach()
# The program must use the installed shared library, not a copy of it.
run("ldd" ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${dest}${LIBDIR} ldd ${WORK}/shortest-pkgconfig)
if(NOT out MATCHES "libkgraph\\.so\\.[0-9]+ => ${dest}")
  message(FATAL_ERROR "shortest-pkgconfig does not load the installed libkgraph.so:\n${out}")
endif()
