/* Error names and texts, generated from the one list in error.h. */
#include "internal.h"

SMBW_API const char *smbw_strerror(int code) {
  switch (code) {
#define SMBW_X_TEXT(name, value, text) case value: return text;
    SMBW_ERROR_LIST(SMBW_X_TEXT)
#undef SMBW_X_TEXT
  default:
    return "unknown error";
  }
}

SMBW_API const char *smbw_errname(int code) {
  switch (code) {
#define SMBW_X_NAME(name, value, text) case value: return "SMBW_E_" #name;
    SMBW_ERROR_LIST(SMBW_X_NAME)
#undef SMBW_X_NAME
  default:
    return "SMBW_E_UNKNOWN";
  }
}

SMBW_API uint32_t smbw_version(void) { return SMBW_VERSION_NUMBER; }

SMBW_API const char *smbw_version_string(void) { return SMBW_VERSION_STRING; }

SMBW_NOINLINE __attribute__((cold)) int smbw_fail_cold(smbw_error *err, int code, uint32_t off,
                                                       const char *field) {
  return smbw_fail(err, code, off, field);
}
