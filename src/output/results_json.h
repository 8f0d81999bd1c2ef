/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * results_json.h - the results model as JSON, and back (json-c)
 *
 * Theory of operation: json_write() turns a whole struct results into one
 * JSON document built with json-c, so that quoting and escaping are never
 * done by hand.  Times are integers in microseconds since the run's time
 * zero (t0, the lab ready), durations in microseconds, sequence numbers
 * relative as tcpdump shows them.  The document carries "schema_version"
 * (RESULTS_SCHEMA_VERSION); a reader refuses a newer major schema.
 *
 * json_read_observed() reads such a document back far enough to serve as
 * a baseline (baseline.h): the runs' identity, verdicts, expectations,
 * counters, rules, sysctls and timelines.  The socket tables are not read
 * back.  Packets read back carry their relative numbers as their absolute
 * ones too, which is what comparing retransmissions needs.
 */
#ifndef TCPLAB_JSON_H
#define TCPLAB_JSON_H

#include <stdio.h>

#include "err.h"
#include "results.h"

/*
 * json_write() - write @r as one JSON document (pretty-printed, ending in a
 * newline) to @f.  Returns 0, -ENOMEM, or -EIO when @f failed.
 */
int json_write(FILE *f, const struct results *r) WUR;

/*
 * json_read_observed() - read the JSON document at @path (as json_write()
 * writes it) into @out, which must be zeroed; @e says what was wrong.
 * Returns 0, -ENOENT and the like when @path cannot be read, -EBADMSG when
 * it is not such a document, -ENOMEM.  On failure @out is freed.  The
 * file names in the read-back struct loc point into the run's own file[]
 * (or are NULL when the place named another file).
 */
int json_read_observed(const char *path, struct results *out,
		       struct err *e) WUR;

#endif
