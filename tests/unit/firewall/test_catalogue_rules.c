// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_catalogue_rules.c - every shipped scenario's firewall rules, as both
 * backends would install them, rendered without a kernel: the commands a
 * person types (nft, iptables, ip6tables), the nftables expressions
 * (libnftnl's rendering) and the x_tables entries (iptables-save lines).
 * One golden file per scenario under tests/data/catalogue/; set
 * TCPLAB_UPDATE_GOLDEN=1 to write them anew, then review the diff.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <libnftnl/rule.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"
#include "golden.h"
#include "fw_ipt.h"
#include "fw_nft.h"
#include "rule.h"
#include "scenario.h"

/* what tcplab installs: drops and rejects log to a group of their own */
static struct rule installed(const struct rule *r)
{
	struct rule x = *r;

	if (x.action == RULE_DROP || x.action == RULE_REJECT_RST)
		x.nflog_group = (int)x.id;
	return x;
}

static void render(FILE *f, const struct scenario *sc)
{
	size_t k;

	fprintf(f, "# %s\n", sc->name);
	for (k = 0; k < sc->nsteps; k++) {
		const struct step *st = &sc->steps[k];
		struct rule r = installed(&st->rule);
		struct nftnl_rule *nr = NULL;
		char buf[2048];
		int fam, nflog;

		if (st->kind != STEP_FIREWALL)
			continue;
		rule_describe(&r, buf, sizeof(buf));
		fprintf(f, "\nrule %u, line %d, %s: %s\n", r.id, st->loc.line,
			sc->nodes[st->node], buf);
		rule_render_nft(&r, FW_TABLE_NAME, buf, sizeof(buf));
		fprintf(f, "  %s\n", buf);
		rule_render_ipt(&r, RULE_IPT_ALL, buf, sizeof(buf));
		{
			char *line, *save = NULL;

			for (line = strtok_r(buf, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save))
				fprintf(f, "  %s\n", line);
		}
		assert_int_equal(fw_nft_rule_build(&r, NULL, &nr), 0);
		nftnl_rule_snprintf(buf, sizeof(buf), nr, 0, 0);
		fprintf(f, "  libnftnl: %s\n", buf);
		nftnl_rule_free(nr);
		for (fam = 4; fam <= 6; fam += 2) {
			if (r.family && r.family != fam)
				continue;
			for (nflog = 1; nflog >= 0; nflog--) {
				struct fw_ipt_entry x;

				if (nflog && !r.nflog_group)
					continue;
				assert_int_equal(fw_ipt_entry_build(&r, fam, nflog, &x), 0);
				fw_ipt_entry_format(&x, buf, sizeof(buf));
				fprintf(f, "  ip%stables: %s\n", fam == 6 ? "6" : "", buf);
				fw_ipt_entry_free(&x);
			}
		}
	}
}

static void check_one(const char *dir, const char *file)
{
	struct golden_capture cap;
	struct scenario *sc;
	struct err e = { 0 };
	char path[4096], name[128];
	char *got;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (scenario_load(path, &sc, &e))
		fail_msg("%s", e.msg);
	render(golden_capture_open(&cap), sc);
	got = golden_capture_close(&cap);
	snprintf(name, sizeof(name), "catalogue/%s.rules", sc->name);
	golden_check(TESTS_DATA_DIR, name, got);
	free(got);
	scenario_free(sc);
}

static void test_catalogue(void **state)
{
	DIR *d = opendir(SCENARIO_DIR);
	struct dirent *de;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l > 4 && !strcmp(de->d_name + l - 4, ".tcp")) {
			check_one(SCENARIO_DIR, de->d_name);
			n++;
		}
	}
	closedir(d);
	assert_true(n >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
