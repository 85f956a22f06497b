# The installed layout (GNUInstallDirs) and the packages made from it: `cpack` in the build
# folder (or the `package` target) writes packages/routerlab_<version>_<arch>.deb and
# packages/routerlab-<version>-Linux.tar.gz. The executables install from app/CMakeLists.txt.

set(_linux "${CMAKE_CURRENT_LIST_DIR}/linux")
set(_generated "${PROJECT_BINARY_DIR}/installer")

install(FILES "${PROJECT_SOURCE_DIR}/sample_data/sample.csv"
              "${PROJECT_SOURCE_DIR}/sample_data/sample.pool.json"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/routerlab/sample_data")

install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/routerlab"
        RENAME copyright)

# Man pages carry the project() version; gzip -n keeps the bytes free of time stamps.
set(_man_pages routerlab-cli)
if(ROUTERLAB_BUILD_UI)
  list(APPEND _man_pages routerlab)
endif()
set(_man_outputs "")
foreach(page IN LISTS _man_pages)
  configure_file("${_linux}/${page}.1.in" "${_generated}/${page}.1" @ONLY)
  add_custom_command(OUTPUT "${_generated}/${page}.1.gz"
                     COMMAND gzip -9 -n -f -k "${_generated}/${page}.1"
                     DEPENDS "${_generated}/${page}.1" VERBATIM)
  list(APPEND _man_outputs "${_generated}/${page}.1.gz")
endforeach()
add_custom_target(routerlab_man_pages ALL DEPENDS ${_man_outputs})
install(FILES ${_man_outputs} DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")

if(ROUTERLAB_BUILD_UI)
  configure_file("${_linux}/routerlab.desktop.in" "${_generated}/${ROUTERLAB_APP_ID}.desktop"
                 @ONLY)
  configure_file("${_linux}/routerlab.metainfo.xml.in"
                 "${_generated}/${ROUTERLAB_APP_ID}.metainfo.xml" @ONLY)
  install(FILES "${_generated}/${ROUTERLAB_APP_ID}.desktop"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
  install(FILES "${_generated}/${ROUTERLAB_APP_ID}.metainfo.xml"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
  install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/routerlab.svg"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps"
          RENAME "${ROUTERLAB_APP_ID}.svg")
endif()

set(ROUTERLAB_PACKAGE_MAINTAINER "The RouterLab authors" CACHE STRING
    "Maintainer field of the Debian package (Name <email>)")

set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_PACKAGE_NAME "routerlab")
set(CPACK_PACKAGE_VENDOR "The RouterLab authors")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "workbench for routing queries between large language models")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_PACKAGE_CHECKSUM SHA256)
# Debug information would make the package several times larger; users do not need it.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ROUTERLAB_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# Follows the summary line in the package's Description.
set(_holds "the headless tool (routerlab-cli)")
if(ROUTERLAB_BUILD_UI)
  set(_holds "the workbench (routerlab), the headless tool (routerlab-cli)")
endif()
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "RouterLab loads model pools (models, per-token prices, endpoints) and benchmark
datasets (prompts with the recorded outcome of every model) and replays routers
over them: PickLLM, classic bandits, LinUCB, BaRP and offline baselines, against
the oracle, random and best single model.
This package holds ${_holds}
and a synthetic sample dataset and pool.")
# Depends comes from dpkg-shlibdeps: the libraries the executables link (Qt 6 with QtSvg,
# whose package also holds the SVG icon plugin, SQLite, curl). The xcb and offscreen platform
# plugins come with libqt6gui6; Wayland's is optional (Qt falls back to xcb).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(ROUTERLAB_BUILD_UI)
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland")
endif()

# `cpack --config CPackSourceConfig.cmake`: the sources without git metadata, build folders or
# installed npm packages (a build from it reports the version alone).
string(REGEX REPLACE "([][+.*()^$?|\\])" "\\\\\\1" _source_re "${PROJECT_SOURCE_DIR}")
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_PACKAGE_FILE_NAME "routerlab-${PROJECT_VERSION}")
set(CPACK_SOURCE_IGNORE_FILES "^${_source_re}/\\.git" "^${_source_re}/build[^/]*/"
                              "^${_source_re}/\\.cache/" "/node_modules/" "~$" "\\.swp$")

include(CPack)
