// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_diag.c - libFuzzer target: any bytes as a sock_diag reply stream
 * (what `ss -D` records).  The decoder must accept or refuse them without
 * crashing or reading out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_set set = { 0 };
	void *buf = malloc(size ? size : 1); /* aligned copy, like a recv buffer */

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	(void)!diag_parse(buf, size, &set);
	diag_set_free(&set);
	free(buf);
	return 0;
}
