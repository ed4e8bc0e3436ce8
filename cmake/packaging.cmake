# packaging.cmake: the install rules and the Debian package (CPack).
#
# `make package` (or `cpack -G DEB` in a configured build folder) makes
# rollcall_VERSION-1_ARCH.deb from the binary built there: the binary in
# /usr/bin, the settings in /etc/rollcall/rollcall.conf (a conffile: an
# upgrade keeps the operator's changes), the hardened systemd unit, and the
# README, licence and docs in /usr/share/doc/rollcall. The maintainer
# scripts in packaging/ make the rollcall account and /var/lib/rollcall.
# docs/packaging.md says what each part is for.
include(GNUInstallDirs)

install(TARGETS rollcall RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# /etc and /lib are not under the package's /usr prefix: absolute, as
# Debian wants them.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/rollcall.conf
        DESTINATION /etc/rollcall
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/rollcall.service
        DESTINATION /lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
              ${PROJECT_SOURCE_DIR}/NOTICE ${PROJECT_SOURCE_DIR}/packaging/copyright
              ${PROJECT_SOURCE_DIR}/docs/packaging.md ${PROJECT_SOURCE_DIR}/docs/setup.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/data/examples/setup.json
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# Whoever builds the package answers for it: an LA's or a trust's IT team
# sets their name and address (-DROLLCALL_PACKAGE_MAINTAINER="...").
set(ROLLCALL_PACKAGE_MAINTAINER "The rollcall authors" CACHE STRING
    "The Maintainer field of the Debian package: a name and <email address>")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rollcall)
set(CPACK_PACKAGE_VENDOR "The rollcall authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "school attendance registers, statistics and alerts (England)")
# The long description, one line of the control file each.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "rollcall keeps a school's attendance registers and computes attendance\n"
       "statistics and alerts exactly as the DfE does, with web pages for every\n"
       "role: registers, casework, letters, messages to families and the local\n"
       "authority's cross-school views. The package runs it as a hardened\n"
       "systemd service (rollcall.service) under its own account, with the\n"
       "school's database in /var/lib/rollcall and its settings in\n"
       "/etc/rollcall/rollcall.conf.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${ROLLCALL_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The libraries' packages come from dpkg-shlibdeps reading the binary; the
# rest are what it uses at run time without linking: adduser for postinst,
# the letters' font, and the certificate authorities that HTTPS to GOV.UK
# Notify, webhooks and the daily share are checked against.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, fonts-dejavu-core, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, nginx | caddy")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/conffiles ${PROJECT_SOURCE_DIR}/packaging/postinst
    ${PROJECT_SOURCE_DIR}/packaging/prerm ${PROJECT_SOURCE_DIR}/packaging/postrm)
# Maintainer scripts 0755 and the control files 0644 whatever the checkout's
# modes, as dpkg expects.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
