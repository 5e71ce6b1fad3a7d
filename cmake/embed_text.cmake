# kgraph_embed_text(IN OUT NAME): write IN's bytes, and a NUL, as
# `const char NAME[]` into OUT (an array of bytes, not a string literal,
# which ISO C limits to 4095 characters), so that a file shipped as is
# (share/kgraph/kgraph.sql) is also built into the program from the same
# source. Runs at configure time; a change to IN configures again.
function(kgraph_embed_text in out name)
  file(READ "${in}" hex HEX)
  string(REGEX REPLACE "(..)" "0x\\1," bytes "${hex}")
  # One C line per line of the file.
  string(REPLACE "0x0a," "0x0a,\n" lines "${bytes}")
  file(CONFIGURE OUTPUT "${out}" CONTENT "/* Generated from ${in} by cmake/embed_text.cmake: do not edit. */
extern const unsigned char ${name}[];
const unsigned char ${name}[] = {
${lines}0};
" @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${in}")
endfunction()
