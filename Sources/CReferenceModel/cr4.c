#include "CReferenceModel.h"

#define CR3_PCID 0xfffull
#define CR4_PAE (1ull << 5)
#define CR4_VMXE (1ull << 13)
#define CR4_PCIDE (1ull << 17)
#define CR4_KNOWN_TO_KVM 0x773fffull
#define EFER_LMA (1ull << 10)

int crpin_ref_mov_cr4(crpin_ref_vcpu *vcpu, uint64_t cr4) {
  if (cr4 & ~CR4_KNOWN_TO_KVM) return 1;
  if (cr4 & vcpu->cr4_feature_missing) return 1;
  // The patch: no pin check in SMM or while L2 runs.
  if (!vcpu->in_smm && !vcpu->in_l2) {
    if ((cr4 & vcpu->cr4_pinned_high) != vcpu->cr4_pinned_high) return 1;
    if (cr4 & vcpu->cr4_pinned_low) return 1;
  }
  int long_mode = (vcpu->efer & EFER_LMA) != 0;
  if (long_mode && !(cr4 & CR4_PAE)) return 1;
  if ((cr4 & CR4_PCIDE) && !(vcpu->cr4 & CR4_PCIDE)) {
    if (!vcpu->has_pcid || (vcpu->cr3 & CR3_PCID) || !long_mode) return 1;
  }
  if ((cr4 & CR4_VMXE) && (!vcpu->has_vmx || vcpu->in_smm)) return 1;
  vcpu->cr4 = cr4;
  return 0;
}

// Aligned to 64 bytes so that the loop's place in the binary, and with it the yardstick's speed,
// does not change with the code linked before it: unaligned, the same loop measured up to 25%
// slower in some builds than in others (docs/performance.md, the ninth session).
__attribute__((aligned(64)))
size_t crpin_ref_run(crpin_ref_vcpu *vcpu, const uint64_t *values, size_t writes) {
  size_t faults = 0;
  for (size_t i = 0; i < writes; i++) faults += (size_t)crpin_ref_mov_cr4(vcpu, values[i & 4095]);
  return faults;
}
