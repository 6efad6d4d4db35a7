// Only the reentrant (_r) API: every call names the context it runs in, so a context can be
// owned by one thread at a time instead of sharing GEOS's global handle.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
