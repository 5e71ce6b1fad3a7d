# svg_safe.cmake - an SVG that kgraph draws from hostile text can be opened
# in a browser: libxml2's parser (xmllint) reads it as well-formed XML, and
# no user text became an element or an attribute:
#   - no <script>, <foreignObject>, <iframe>, <object> or <embed> element;
#   - no event-handler attribute (onload, onclick, ...), no style element;
#   - every link is http or https (the javascript: url was dropped);
#   - each hostile name is there as text, decoded by the parser, exactly
#     as written in the YAML.
#
#   cmake -DKGRAPH=path/to/kgraph -DXMLLINT=path/to/xmllint -DCASES=tests/cli/inputs
#         -DWORK=scratch/dir -P svg_safe.cmake
set(failed "")
file(MAKE_DIRECTORY "${WORK}")
set(svg "${WORK}/hostile.svg")
execute_process(COMMAND "${KGRAPH}" render render-hostile.yaml -o "${svg}"
                WORKING_DIRECTORY "${CASES}" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "render failed (exit ${rc}):\n${err}")
endif()

# --nonet: the DOCTYPE names the SVG 1.1 DTD; it is not fetched.
execute_process(COMMAND "${XMLLINT}" --noout --nonet "${svg}" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  string(APPEND failed "xmllint: not well-formed XML:\n${err}\n")
endif()

function(xpath expr expected what)
  execute_process(COMMAND "${XMLLINT}" --nonet --xpath "${expr}" "${svg}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(STRIP "${out}" out)
  if(NOT out STREQUAL "${expected}")
    set(failed "${failed}${what}: xpath ${expr} gave '${out}' (${err}), expected '${expected}'\n" PARENT_SCOPE)
  endif()
endfunction()

xpath("count(//*[local-name()='script' or local-name()='foreignObject' or local-name()='iframe' or local-name()='object' or local-name()='embed' or local-name()='style'])"
      "0" "elements that run or embed content")
xpath("count(//@*[starts-with(translate(local-name(), 'ON', 'on'), 'on')])" "0" "event-handler attributes")
xpath("count(//@*[local-name()='href'][not(starts-with(., 'https://') or starts-with(., 'http://'))])" "0"
      "links other than http(s)")
xpath("count(//@*[local-name()='href'])" "4" "the links from the source url (two relations, edge and label)")
# The names, decoded by the parser, are the YAML's text.
xpath("count(//*[local-name()='text'][. = '\"&<script>alert(1)</script>'])" "1" "the script-like name as text")
xpath("count(//*[local-name()='text'][. = 'C:\\Names\\Lee'])" "1" "backslashes kept")
xpath("count(//*[local-name()='text'][. = '\\N \\G \\L end\\'])" "1" "Graphviz escapes kept literal")
xpath("count(//*[local-name()='text'][. = 'AT&amp;T'])" "1" "an entity reference kept literal")
xpath("count(//*[local-name()='text'][. = 'Зеленський'])" "1" "Cyrillic")
xpath("count(//*[local-name()='text'][. = '中文'])" "1" "CJK")

if(failed)
  message(FATAL_ERROR "${failed}")
endif()
