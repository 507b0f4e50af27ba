#ifndef INTERCLOUD_CGSSAPI_SHIM_H
#define INTERCLOUD_CGSSAPI_SHIM_H
/* MIT Kerberos GSS-API (RFC 2743, C bindings RFC 2744), through pkg-config krb5-gssapi. */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <gssapi/gssapi_ext.h>

/* The OID constants are mutable C globals, which Swift 6 refuses to read directly; these return them. */

/* GSS_C_NT_HOSTBASED_SERVICE, "service@host" (RFC 2743 §4.1). */
static inline gss_OID intercloud_gss_nt_hostbased_service(void) { return GSS_C_NT_HOSTBASED_SERVICE; }

/* GSS_KRB5_NT_PRINCIPAL_NAME, a Kerberos principal "name/instance@REALM" (RFC 1964 §2.1.1). */
static inline gss_OID intercloud_gss_nt_krb5_principal(void) { return GSS_KRB5_NT_PRINCIPAL_NAME; }

/* The Kerberos V5 mechanism, 1.2.840.113554.1.2.2 (RFC 1964 §1). */
static inline gss_OID intercloud_gss_mech_krb5(void) { return (gss_OID)gss_mech_krb5; }

/* Whether two OIDs are equal. */
static inline int intercloud_gss_oid_equal(gss_const_OID a, gss_const_OID b) {
    if (a == b) return 1;
    if (a == GSS_C_NO_OID || b == GSS_C_NO_OID || a->length != b->length) return 0;
    const unsigned char *x = (const unsigned char *)a->elements, *y = (const unsigned char *)b->elements;
    for (OM_uint32 i = 0; i < a->length; i++) if (x[i] != y[i]) return 0;
    return 1;
}

#endif
