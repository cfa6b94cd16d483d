/*
 * fuzz_source.c - libFuzzer target: the source pipeline.  book.yaml and
 * Markdown parts (fuzzbook.h) through loading, libyaml, libcmark-gfm,
 * resolving and the tree's own check.
 */
#include "fuzzbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size, NULL);
}
