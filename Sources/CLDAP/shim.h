#ifndef INTERCLOUD_CLDAP_SHIM_H
#define INTERCLOUD_CLDAP_SHIM_H
#include <ldap.h>
#include <string.h>

/* Mirrors Cyrus SASL's sasl_interact_t (sasl/sasl.h), which libldap hands to the interaction callback; declared
   here so that building needs no libsasl2-dev. */
typedef struct intercloud_sasl_interact {
    unsigned long id;
    const char *challenge;
    const char *prompt;
    const char *defresult;
    const void *result;
    unsigned len;
} intercloud_sasl_interact;

/* Answers every SASL prompt with its default or the empty string, as `ldapwhoami -Q` does: for GSSAPI the only
   prompt is the authorization identity, and empty means "act as the authenticated identity" (RFC 4752 §3.1). */
static inline int intercloud_ldap_sasl_interact(LDAP *ld, unsigned flags, void *defaults, void *list) {
    (void)ld; (void)flags; (void)defaults;
    for (intercloud_sasl_interact *prompt = list; prompt->id != 0 /* SASL_CB_LIST_END */; prompt++) {
        const char *value = prompt->defresult ? prompt->defresult : "";
        prompt->result = value;
        prompt->len = (unsigned)strlen(value);
    }
    return LDAP_SUCCESS;
}

/* A SASL GSSAPI bind (RFC 4513 §5.2.1, RFC 4752) with the default Kerberos credentials of the calling thread.
   LDAP_OPT_X_SASL_NOCANON keeps the host of the URL as the service principal's host (ldap/HOST@REALM) instead of a
   reverse DNS lookup. */
static inline int intercloud_ldap_sasl_gssapi_bind(LDAP *ld) {
    int status = ldap_set_option(ld, LDAP_OPT_X_SASL_NOCANON, LDAP_OPT_ON);
    if (status != LDAP_OPT_SUCCESS) return status;
    return ldap_sasl_interactive_bind_s(
        ld, NULL, "GSSAPI", NULL, NULL, LDAP_SASL_QUIET, intercloud_ldap_sasl_interact, NULL);
}
#endif
