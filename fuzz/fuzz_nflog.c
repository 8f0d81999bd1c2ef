// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_nflog.c - libFuzzer target: any bytes as nfnetlink_log messages
 * (and their payload as an IP packet); decoded or refused, never a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nflog.h"
#include "pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *buf = malloc(size ? size : 1);
	struct tl_pkt p;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	(void)!nflog_parse(buf, size, 0, NULL, NULL);
	(void)!pkt_decode(PKT_LINK_RAW, buf, size, size, &p);
	(void)!pkt_decode(PKT_LINK_EN10MB, buf, size, size, &p);
	free(buf);
	return 0;
}
