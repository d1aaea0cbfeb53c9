#ifndef CRPIN_LIBFUZZER_DRIVER_H
#define CRPIN_LIBFUZZER_DRIVER_H

// libFuzzer's entry point for programs that have their own main (LLVM 13 and later). The
// fuzz build (`scripts/reliability fuzz`) calls it from crpin-fuzz's main, because SwiftPM links
// an executable's main itself and so libFuzzer's own main is never used. Only a declaration:
// nothing here is linked unless the fuzz build passes -sanitize=fuzzer.

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
