// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay.c - run a fuzz target's LLVMFuzzerTestOneInput() on files
 *
 * Linked with one fuzz_*.c into an ordinary program (no libFuzzer, any
 * compiler), it feeds every file of the directories (or the files) named
 * on the command line to the target, so the seed corpus and the crashing
 * inputs kept in fuzz/regress/ run as unit tests - under ASan and UBSan in
 * the sanitizer build (tests/sanitize.sh), where an overflow read aborts.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feed one file; returns 0, or -1 when it cannot be read */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -1;
	}
	/* exactly the file's size, as libFuzzer does: a read past it is an
	 * overflow that ASan sees */
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i, count = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		struct dirent *de;
		DIR *d;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: missing\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (replay_file(argv[i]))
				return 1;
			count++;
			continue;
		}
		d = opendir(argv[i]);
		if (!d)
			return 1;
		while ((de = readdir(d))) {
			char path[4096];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (replay_file(path)) {
				fprintf(stderr, "replay: %s: cannot read\n", path);
				closedir(d);
				return 1;
			}
			count++;
		}
		closedir(d);
	}
	printf("replayed %d inputs\n", count);
	return count ? 0 : 1;
}
