// A tight C model of one guest MOV to CR4 under the June 2020 CR pinning patch: the decision
// kvm_set_cr4 makes (kvm_valid_cr4's reserved and feature-gated bits, the pin check, the
// long-mode, PCIDE and VMXE checks), then the store. crpin-bench measures it beside
// `VirtualMachine.step` of the same write and prints the ratio (README "Performance").
#ifndef CREFERENCEMODEL_H
#define CREFERENCEMODEL_H

#include <stddef.h>
#include <stdint.h>

/// The state one MOV to CR4 reads and writes.
typedef struct {
  uint64_t cr0, cr3, cr4, efer;
  /// CR4 bits pinned high and low (the patch's MSR_KVM_CR4_PINNED_HIGH/LOW).
  uint64_t cr4_pinned_high, cr4_pinned_low;
  /// CR4 bits kvm_valid_cr4 refuses because the guest CPU lacks their feature.
  uint64_t cr4_feature_missing;
  int in_smm, in_l2, has_pcid, has_vmx;
} crpin_ref_vcpu;

/// One guest MOV to CR4: 0 when it is accepted (CR4 stored), 1 for #GP (nothing changes).
int crpin_ref_mov_cr4(crpin_ref_vcpu *vcpu, uint64_t cr4);

/// `writes` MOVs of `values[i & 4095]`; returns how many took #GP.
size_t crpin_ref_run(crpin_ref_vcpu *vcpu, const uint64_t *values, size_t writes);

#endif
