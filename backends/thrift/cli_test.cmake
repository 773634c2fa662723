# ctest thrift_dump_cli: the real `topoc dump` binary on the golden files.
#   cmake -DTOPOC=<topoc> -DSRC=<source dir> -P dump_cli_test.cmake
foreach(name wordcount sentences every-feature)
  set(bin ${SRC}/tests/build/${name}.thrift.bin)
  execute_process(COMMAND ${TOPOC} dump ${bin}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "topoc dump ${bin}: exit ${rc}: ${err}")
  endif()
  file(READ ${SRC}/tests/build/${name}.thrift.json expected)
  if(NOT out STREQUAL expected)
    message(FATAL_ERROR "topoc dump ${bin} differs from ${name}.thrift.json")
  endif()
endforeach()

# Not a StormTopology (the JSON twin): exit 1 and a message naming the file.
execute_process(COMMAND ${TOPOC} dump ${SRC}/tests/build/wordcount.thrift.json
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 1 OR NOT err MATCHES "wordcount.thrift.json' is not a Storm topology file"
   OR NOT out STREQUAL "")
  message(FATAL_ERROR "dump of a JSON file: exit ${rc}, stderr: ${err}")
endif()

# Missing file: exit 2.
execute_process(COMMAND ${TOPOC} dump ${SRC}/tests/build/no-such.thrift.bin
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 2 OR NOT err MATCHES "cannot read")
  message(FATAL_ERROR "dump of a missing file: exit ${rc}, stderr: ${err}")
endif()
