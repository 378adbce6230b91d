# Per-module targets.  Every directory under src/ belongs to one module, a
# static library ns_<name> that may include the headers of its own module and
# of the modules it depends on (transitively), and nothing else:
#
#   ns_module(<name> [DIRS <dir>...] [DEPS <module>...] [LIBS <library>...]
#             [INTERNAL <header>...] [FRIENDS <module>...] [EXCLUDE <file>...])
#
# DIRS defaults to <name>.  A module's public headers are exposed through its
# own include root, ${CMAKE_BINARY_DIR}/ns_include/<name>/public, which holds
# a symlink per header under the header's usual path ("curve/bn254.h"); only
# targets that link ns_<name> get that root, so an include of a module that is
# not a dependency fails to compile.  Headers in an internal/ folder or named
# in INTERNAL go to <name>/private instead, which only the module itself sees,
# the FRIENDS modules declared after it (a module built on its internals, as
# curve on ff's specialised BN254 Fq product) and, through
# ns_module_internals(), the tests and the benchmarks.
#
# The declared graph is also written to ${CMAKE_BINARY_DIR}/ns_layers.cmake
# for cmake/check_layers.cmake, which reads every #include in src/ and fails
# on one the graph does not allow (including relative "../" includes that
# would slip past the include roots).

set(NS_INCLUDE_ROOT ${CMAKE_BINARY_DIR}/ns_include)
set_property(GLOBAL PROPERTY NS_MODULES "")

function(ns_module name)
  cmake_parse_arguments(M "" "" "DIRS;DEPS;LIBS;INTERNAL;FRIENDS;EXCLUDE" ${ARGN})
  if(NOT M_DIRS)
    set(M_DIRS ${name})
  endif()
  set(src_root ${PROJECT_SOURCE_DIR}/src)
  set(pub ${NS_INCLUDE_ROOT}/${name}/public)
  set(priv ${NS_INCLUDE_ROOT}/${name}/private)
  file(REMOVE_RECURSE ${pub} ${priv})
  file(MAKE_DIRECTORY ${pub} ${priv})
  set(sources "")
  set(internal_headers "")
  foreach(dir ${M_DIRS})
    file(GLOB_RECURSE dir_sources CONFIGURE_DEPENDS ${src_root}/${dir}/*.c)
    list(APPEND sources ${dir_sources})
    file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${src_root} ${src_root}/${dir}/*.h)
    foreach(h ${headers})
      get_filename_component(base ${h} NAME)
      if(h MATCHES "/internal/" OR base IN_LIST M_INTERNAL)
        set(farm ${priv})
        list(APPEND internal_headers ${h})
      else()
        set(farm ${pub})
      endif()
      get_filename_component(hdir ${farm}/${h} DIRECTORY)
      file(MAKE_DIRECTORY ${hdir})
      file(CREATE_LINK ${src_root}/${h} ${farm}/${h} SYMBOLIC)
    endforeach()
  endforeach()
  foreach(x ${M_INTERNAL})
    set(found 0)
    foreach(h ${internal_headers})
      get_filename_component(base ${h} NAME)
      if(base STREQUAL x)
        set(found 1)
      endif()
    endforeach()
    if(NOT found)
      message(WARNING "ns_module(${name}): INTERNAL header ${x} does not exist (renamed? update the line)")
    endif()
  endforeach()
  foreach(x ${M_EXCLUDE})
    list(REMOVE_ITEM sources ${src_root}/${x})
  endforeach()
  add_library(ns_${name} STATIC ${sources})
  target_include_directories(ns_${name} PUBLIC ${pub} PRIVATE ${priv})
  foreach(dep ${M_DEPS})
    target_link_libraries(ns_${name} PUBLIC ns_${dep})
  endforeach()
  target_link_libraries(ns_${name} PUBLIC ${M_LIBS})
  get_property(mods GLOBAL PROPERTY NS_MODULES)
  foreach(m ${mods})
    get_property(friends GLOBAL PROPERTY NS_FRIENDS_${m})
    if(name IN_LIST friends)
      target_include_directories(ns_${name} PRIVATE ${NS_INCLUDE_ROOT}/${m}/private)
    endif()
  endforeach()

  # the graph, for the include check and for ns_module_internals()
  set(allowed ${name})
  foreach(dep ${M_DEPS})
    get_property(dep_allowed GLOBAL PROPERTY NS_ALLOWED_${dep})
    if(NOT dep_allowed)
      message(FATAL_ERROR "ns_module(${name}): dependency '${dep}' is not a module declared before it")
    endif()
    list(APPEND allowed ${dep_allowed})
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set_property(GLOBAL PROPERTY NS_ALLOWED_${name} ${allowed})
  set_property(GLOBAL PROPERTY NS_DIRS_${name} ${M_DIRS})
  set_property(GLOBAL PROPERTY NS_INTERNAL_${name} ${internal_headers})
  set_property(GLOBAL PROPERTY NS_FRIENDS_${name} ${M_FRIENDS})
  set_property(GLOBAL APPEND PROPERTY NS_MODULES ${name})
endfunction()

# Gives <target> the internal headers of every module (tests and benchmarks
# check and measure internals; the product does not).
function(ns_module_internals target)
  get_property(mods GLOBAL PROPERTY NS_MODULES)
  foreach(m ${mods})
    target_include_directories(${target} PRIVATE ${NS_INCLUDE_ROOT}/${m}/private)
  endforeach()
endfunction()

# Writes the graph for the include check, and refuses a directory under src/
# that no module claims.
function(ns_modules_done)
  get_property(mods GLOBAL PROPERTY NS_MODULES)
  set(out "set(NS_MODULES ${mods})\n")
  set(claimed "")
  foreach(m ${mods})
    get_property(dirs GLOBAL PROPERTY NS_DIRS_${m})
    get_property(allowed GLOBAL PROPERTY NS_ALLOWED_${m})
    get_property(internal GLOBAL PROPERTY NS_INTERNAL_${m})
    get_property(friends GLOBAL PROPERTY NS_FRIENDS_${m})
    string(APPEND out "set(NS_DIRS_${m} ${dirs})\nset(NS_ALLOWED_${m} ${allowed})\nset(NS_INTERNAL_${m} ${internal})\n"
                      "set(NS_FRIENDS_${m} ${friends})\n")
    list(APPEND claimed ${dirs})
  endforeach()
  file(GLOB entries RELATIVE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/src/*)
  foreach(e ${entries})
    if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/src/${e} AND NOT e IN_LIST claimed)
      message(FATAL_ERROR "src/${e}/ belongs to no module: add an ns_module() line to CMakeLists.txt")
    endif()
  endforeach()
  file(WRITE ${CMAKE_BINARY_DIR}/ns_layers.cmake "${out}")
endfunction()
