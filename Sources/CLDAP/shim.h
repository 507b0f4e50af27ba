#ifndef INTERCLOUD_CLDAP_SHIM_H
#define INTERCLOUD_CLDAP_SHIM_H
#include <ldap.h>
#endif
