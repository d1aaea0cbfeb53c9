// The commit is a string in commit.h, a file that scripts/stamp-commit writes (and rewrites only
// when the commit changes) and git ignores. Without it — a plain `swift build`, a tarball, no git —
// the commit is "unknown". Keeping the value in this one C file means a new commit recompiles this
// file and relinks, and no build flag changes: nothing else is rebuilt.
#include "build_info.h"

#if __has_include("commit.h")
#include "commit.h"
#endif

#ifndef CRPIN_COMMIT
#define CRPIN_COMMIT "unknown"
#endif

const char *crpin_build_commit(void) { return CRPIN_COMMIT; }
