// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_scenario.c - libFuzzer target: any bytes through the scenario
 * parser.  It must either build an AST or fail with a located message;
 * never crash, leak or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *sc = NULL;
	struct err e = { 0 };

	if (scenario_parse("fuzz.tcp", (const char *)data, size, &sc, &e) == 0) {
		if (!sc || !sc->nsteps)
			__builtin_trap();
		scenario_free(sc);
	} else if (sc || !e.msg[0]) {
		__builtin_trap(); /* a failure always says why, and owns nothing */
	}
	return 0;
}
