# ctest thrift_cli: the real `topoc` binary.
#   cmake -DTOPOC=<topoc> -DSRC=<source dir> -DWORK=<scratch dir> -P cli_test.cmake
# 1. `topoc dump` on the golden files, a JSON file (exit 1), a missing file (2).
# 2. `topoc build --target thrift` of examples/wordcount and sentences: the
#    same bytes as the goldens, twice (deterministic), plus the launchers.
# 3. A shell command of three strings: built, with resources/_topoc/s.sh
#    wrapping it and ShellComponent ["/bin/sh", "_topoc/s.sh"].
# 4. --storm-version 0.9 refuses partial-key (E0501); --opt storm_version
#    sets StormTopology.storm_version, visible in the dump.
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

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
foreach(name wordcount sentences)
  foreach(round 1 2)
    set(out ${WORK}/${name}-${round})
    execute_process(COMMAND ${TOPOC} build ${SRC}/examples/${name} --target thrift --out ${out}
                    OUTPUT_VARIABLE o ERROR_VARIABLE err RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "topoc build examples/${name}: exit ${rc}: ${err}")
    endif()
    file(READ ${out}/${name}.stormtopology built HEX)
    file(READ ${SRC}/tests/build/${name}.thrift.bin golden HEX)
    if(NOT built STREQUAL golden)
      message(FATAL_ERROR "${out}/${name}.stormtopology differs from tests/build/${name}.thrift.bin")
    endif()
  endforeach()
endforeach()
foreach(launcher spouts.words.WordSpout bolts.wordcount.WordCounter)
  if(NOT EXISTS ${WORK}/wordcount-1/resources/_topoc/${launcher}.py)
    message(FATAL_ERROR "missing launcher resources/_topoc/${launcher}.py")
  endif()
endforeach()

file(WRITE ${WORK}/long-shell.topo "topology t {
    spout s = shell [\"node\", \"s.js\", \"--fast\"] {
        output (x)
    }
    bolt b = python \"bolts.B\" {
        input s shuffle
    }
}
")
execute_process(COMMAND ${TOPOC} build ${WORK}/long-shell.topo --target thrift --out ${WORK}/long-out
                OUTPUT_VARIABLE o ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT EXISTS ${WORK}/long-out/t.stormtopology)
  message(FATAL_ERROR "3-string shell command: exit ${rc}, output: ${o}${err}")
endif()
file(READ ${WORK}/long-out/resources/_topoc/s.sh wrapper)
if(NOT wrapper MATCHES "exec 'node' 's.js' '--fast' \"\\$@\"")
  message(FATAL_ERROR "3-string shell command: unexpected wrapper: ${wrapper}")
endif()
execute_process(COMMAND ${TOPOC} dump ${WORK}/long-out/t.stormtopology
                OUTPUT_VARIABLE o ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT o MATCHES "\"/bin/sh\"" OR NOT o MATCHES "_topoc/s.sh")
  message(FATAL_ERROR "3-string shell command: dump: exit ${rc}, output: ${o}${err}")
endif()

execute_process(COMMAND ${TOPOC} build ${SRC}/tests/build/every-feature.topo --target thrift
                        --storm-version 0.9 --out ${WORK}/v09
                OUTPUT_VARIABLE o ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 1 OR NOT "${o}${err}" MATCHES "E0501" OR NOT "${o}${err}" MATCHES "Storm 0.9")
  message(FATAL_ERROR "partial-key for Storm 0.9: exit ${rc}, output: ${o}${err}")
endif()
execute_process(COMMAND ${TOPOC} build ${SRC}/examples/wordcount --target thrift
                        --opt thrift.storm_version=2.8.0 --out ${WORK}/v28
                OUTPUT_VARIABLE o ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "--opt storm_version: exit ${rc}: ${err}")
endif()
execute_process(COMMAND ${TOPOC} dump ${WORK}/v28/wordcount.stormtopology
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"storm_version\": \"2.8.0\"")
  message(FATAL_ERROR "dump after --opt storm_version: exit ${rc}: ${out}${err}")
endif()
