// The commit crpin was built from, baked in by scripts/stamp-commit (see build_info.c).
#ifndef CRPIN_BUILD_INFO_H
#define CRPIN_BUILD_INFO_H

/// The abbreviated git commit of the source tree this binary was built from (with `-dirty`
/// when the tree had uncommitted changes), or "unknown" when no stamp was written.
const char *crpin_build_commit(void);

#endif
