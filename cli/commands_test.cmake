# ctest cli_commands: main.cc builds only the subcommand argv[1] names (or
# none for a lone --version); this checks that every subcommand still works
# when it is the only one built, and that the usual messages are unchanged.
#   cmake -DTOPOC=<topoc> -P commands_test.cmake
function(run)
  execute_process(COMMAND ${TOPOC} ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
  set(rc "${rc}" PARENT_SCOPE)
endfunction()

run(--version)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^topoc [0-9]+\\.[0-9]+\\.[0-9]+\n$")
  message(FATAL_ERROR "topoc --version: exit ${rc}: ${out}${err}")
endif()

# The full list, from the help of the whole command set.
run(--help)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "topoc --help: exit ${rc}: ${err}")
endif()
string(REGEX MATCH "Subcommands:\n.*" section "${out}")
string(REGEX MATCHALL "\n  [a-z-]+" names "${section}")
list(TRANSFORM names STRIP)
list(LENGTH names count)
if(count LESS 15)
  message(FATAL_ERROR "topoc --help lists ${count} subcommands (${names}):\n${out}")
endif()

# Each one alone: its own help, exit 0.
foreach(name IN LISTS names)
  run(${name} --help)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "Usage: [^\n]*topoc ${name} ")
    message(FATAL_ERROR "topoc ${name} --help: exit ${rc}: ${out}${err}")
  endif()
endforeach()

# A misspelt subcommand still gets the usage error of the whole set; a
# missing one too.
run(biuld x.topo)
if(NOT rc EQUAL 2 OR NOT err MATCHES "A subcommand is required")
  message(FATAL_ERROR "topoc biuld: exit ${rc}: ${out}${err}")
endif()
run()
if(NOT rc EQUAL 2 OR NOT err MATCHES "A subcommand is required")
  message(FATAL_ERROR "topoc (no arguments): exit ${rc}: ${out}${err}")
endif()
# A subcommand's options are its own: --version is not one of check's.
run(check --version)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "topoc check --version: exit ${rc}: ${out}${err}")
endif()
