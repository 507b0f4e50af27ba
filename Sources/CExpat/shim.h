#ifndef INTERCLOUD_CEXPAT_SHIM_H
#define INTERCLOUD_CEXPAT_SHIM_H
#include <expat.h>
#endif
