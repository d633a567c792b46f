// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// libm for device code (Embedded Swift has no Foundation).
#ifndef CLINUX_MATH_H
#define CLINUX_MATH_H

#include <math.h>

/// 10 raised to `exponent` (`pow(10, exponent)`).
static inline double clinux_pow10(double exponent) { return pow(10.0, exponent); }

#endif
